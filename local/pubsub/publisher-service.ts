import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Broker } from './broker';
import { unary } from './grpc';
import type {
  ProjectListRequest,
  PublishRequest,
  SubscriptionRequest,
  TopicListRequest,
  TopicRequest,
  UpdateTopicRequest,
  WireTopic,
} from './wire';

/** Handlers for google.pubsub.v1.Publisher; RPCs not listed answer UNIMPLEMENTED. */
export function publisherHandlers(broker: Broker): UntypedServiceImplementation {
  return {
    CreateTopic: unary((topic: WireTopic) => broker.createTopic(topic)),
    GetTopic: unary((request: TopicRequest) => broker.getTopic(request.topic)),
    ListTopics: unary((request: ProjectListRequest) => {
      const page = broker.listTopics(request.project, request.pageSize, request.pageToken);
      return { topics: page.items, nextPageToken: page.nextPageToken };
    }),
    DeleteTopic: unary((request: TopicRequest) => {
      broker.deleteTopic(request.topic);
      return {};
    }),
    Publish: unary((request: PublishRequest) => ({
      messageIds: broker.publish(request.topic, request.messages ?? []),
    })),
    UpdateTopic: unary((request: UpdateTopicRequest) =>
      broker.updateTopic(request.topic, request.updateMask),
    ),
    DetachSubscription: unary((request: SubscriptionRequest) => {
      broker.detachSubscription(request.subscription);
      return {};
    }),
    ListTopicSubscriptions: unary((request: TopicListRequest) => {
      const page = broker.listTopicSubscriptions(request.topic, request.pageSize, request.pageToken);
      return { subscriptions: page.items, nextPageToken: page.nextPageToken };
    }),
  };
}
