import type { ServerDuplexStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Broker } from './broker';
import { unary } from './grpc';
import { pull } from './pull';
import { streamingPull } from './streaming-pull';
import type {
  AcknowledgeRequest,
  CreateSnapshotRequest,
  SeekRequest,
  SnapshotRequest,
  UpdateSnapshotRequest,
  UpdateSubscriptionRequest,
  ModifyAckDeadlineRequest,
  ModifyPushConfigRequest,
  ProjectListRequest,
  PullRequest,
  StreamingPullRequest,
  StreamingPullResponse,
  SubscriptionRequest,
  WireSubscription,
} from './wire';

/** Handlers for google.pubsub.v1.Subscriber. */
export function subscriberHandlers(broker: Broker): UntypedServiceImplementation {
  return {
    CreateSubscription: unary((subscription: WireSubscription) => broker.createSubscription(subscription)),
    GetSubscription: unary((request: SubscriptionRequest) => broker.getSubscription(request.subscription)),
    ListSubscriptions: unary((request: ProjectListRequest) => {
      const page = broker.listSubscriptions(request.project, request.pageSize, request.pageToken);
      return { subscriptions: page.items, nextPageToken: page.nextPageToken };
    }),
    DeleteSubscription: unary((request: SubscriptionRequest) => {
      broker.deleteSubscription(request.subscription);
      return {};
    }),
    ModifyPushConfig: unary((request: ModifyPushConfigRequest) => {
      broker.modifyPushConfig(request.subscription, request.pushConfig);
      return {};
    }),
    Pull: unary((request: PullRequest, call) =>
      pull(broker.attachedSubscription(request.subscription), request, call),
    ),
    Acknowledge: unary((request: AcknowledgeRequest) => {
      broker.acknowledge(request.subscription, request.ackIds ?? []);
      return {};
    }),
    ModifyAckDeadline: unary((request: ModifyAckDeadlineRequest) => {
      broker.modifyAckDeadline(request.subscription, request.ackIds ?? [], request.ackDeadlineSeconds ?? 0);
      return {};
    }),
    UpdateSubscription: unary((request: UpdateSubscriptionRequest) =>
      broker.updateSubscription(request.subscription, request.updateMask),
    ),
    CreateSnapshot: unary((request: CreateSnapshotRequest) =>
      broker.createSnapshot(request.name, request.subscription, request.labels),
    ),
    UpdateSnapshot: unary((request: UpdateSnapshotRequest) =>
      broker.updateSnapshot(request.snapshot, request.updateMask),
    ),
    GetSnapshot: unary((request: SnapshotRequest) => broker.getSnapshot(request.snapshot)),
    ListSnapshots: unary((request: ProjectListRequest) => {
      const page = broker.listSnapshots(request.project, request.pageSize, request.pageToken);
      return { snapshots: page.items, nextPageToken: page.nextPageToken };
    }),
    DeleteSnapshot: unary((request: SnapshotRequest) => {
      broker.deleteSnapshot(request.snapshot);
      return {};
    }),
    Seek: unary((request: SeekRequest) => {
      broker.seek(request.subscription, {
        snapshot: request.target === 'snapshot' ? request.snapshot : undefined,
        time: request.target === 'time' ? request.time : undefined,
      });
      return {};
    }),
    StreamingPull: (call: ServerDuplexStream<StreamingPullRequest, StreamingPullResponse>) =>
      streamingPull(broker, call),
  };
}
