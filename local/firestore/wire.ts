/**
 * The shapes of the google.firestore.v1 messages this emulator reads and writes, as @grpc/proto-loader
 * decodes them with the options in proto.ts: camelCase names, 64-bit integers as decimal strings, enums as
 * names, bytes as Buffers, a `…Type`/`operation`-style discriminator for each oneof, and absent fields
 * left undefined (so message presence can be told apart from an empty message).
 */

export interface WireTimestamp {
  seconds?: string;
  nanos?: number;
}

export interface WireValue {
  valueType?: string;
  nullValue?: string | number;
  booleanValue?: boolean;
  integerValue?: string;
  doubleValue?: number;
  timestampValue?: WireTimestamp;
  stringValue?: string;
  bytesValue?: Buffer;
  referenceValue?: string;
  geoPointValue?: { latitude?: number; longitude?: number };
  arrayValue?: { values?: WireValue[] };
  mapValue?: { fields?: Record<string, WireValue> };
}

export interface WireDocument {
  name?: string;
  fields?: Record<string, WireValue>;
  createTime?: WireTimestamp;
  updateTime?: WireTimestamp;
}

export interface WireDocumentMask {
  fieldPaths?: string[];
}

export interface WirePrecondition {
  conditionType?: 'exists' | 'updateTime';
  exists?: boolean;
  updateTime?: WireTimestamp;
}

export interface WireTransactionOptions {
  mode?: 'readOnly' | 'readWrite';
  readOnly?: { readTime?: WireTimestamp };
  readWrite?: { retryTransaction?: Buffer };
}

export interface WireFieldTransform {
  fieldPath?: string;
  transformType?: string;
  setToServerValue?: string;
  increment?: WireValue;
  maximum?: WireValue;
  minimum?: WireValue;
  appendMissingElements?: { values?: WireValue[] };
  removeAllFromArray?: { values?: WireValue[] };
}

export interface WireWrite {
  operation?: 'update' | 'delete' | 'transform';
  update?: WireDocument;
  delete?: string;
  transform?: { document?: string; fieldTransforms?: WireFieldTransform[] };
  updateMask?: WireDocumentMask;
  updateTransforms?: WireFieldTransform[];
  currentDocument?: WirePrecondition;
}

export interface WireWriteResult {
  updateTime?: WireTimestamp;
  transformResults: WireValue[];
}

export interface WireFieldReference {
  fieldPath?: string;
}

export interface WireFilter {
  filterType?: 'compositeFilter' | 'fieldFilter' | 'unaryFilter';
  compositeFilter?: { op?: string; filters?: WireFilter[] };
  fieldFilter?: { field?: WireFieldReference; op?: string; value?: WireValue };
  unaryFilter?: { op?: string; field?: WireFieldReference };
}

export interface WireCursor {
  values?: WireValue[];
  before?: boolean;
}

export interface WireStructuredQuery {
  select?: { fields?: WireFieldReference[] };
  from?: { collectionId?: string; allDescendants?: boolean }[];
  where?: WireFilter;
  orderBy?: { field?: WireFieldReference; direction?: string }[];
  startAt?: WireCursor;
  endAt?: WireCursor;
  offset?: number;
  limit?: { value?: number };
  findNearest?: object;
}

export interface WireAggregation {
  operator?: 'count' | 'sum' | 'avg';
  count?: { upTo?: { value?: string } };
  sum?: { field?: WireFieldReference };
  avg?: { field?: WireFieldReference };
  alias?: string;
}

/** The consistency selector shared by the read RPCs. */
export interface WireConsistency {
  consistencySelector?: 'transaction' | 'newTransaction' | 'readTime';
  transaction?: Buffer;
  newTransaction?: WireTransactionOptions;
  readTime?: WireTimestamp;
}

export interface BatchGetDocumentsRequest extends WireConsistency {
  database?: string;
  documents?: string[];
  mask?: WireDocumentMask;
}

export interface BatchGetDocumentsResponse {
  found?: WireDocument;
  missing?: string;
  transaction?: Buffer;
  readTime: WireTimestamp;
}

export interface GetDocumentRequest {
  name?: string;
  mask?: WireDocumentMask;
  consistencySelector?: 'transaction' | 'readTime';
  transaction?: Buffer;
  readTime?: WireTimestamp;
}

export interface CreateDocumentRequest {
  parent?: string;
  collectionId?: string;
  documentId?: string;
  document?: WireDocument;
  mask?: WireDocumentMask;
}

export interface UpdateDocumentRequest {
  document?: WireDocument;
  updateMask?: WireDocumentMask;
  mask?: WireDocumentMask;
  currentDocument?: WirePrecondition;
}

export interface DeleteDocumentRequest {
  name?: string;
  currentDocument?: WirePrecondition;
}

export interface BeginTransactionRequest {
  database?: string;
  options?: WireTransactionOptions;
}

export interface CommitRequest {
  database?: string;
  writes?: WireWrite[];
  transaction?: Buffer;
}

export interface CommitResponse {
  writeResults: WireWriteResult[];
  commitTime: WireTimestamp;
}

export interface RollbackRequest {
  database?: string;
  transaction?: Buffer;
}

export interface RunQueryRequest extends WireConsistency {
  parent?: string;
  structuredQuery?: WireStructuredQuery;
  explainOptions?: WireExplainOptions;
}

export interface WireExplainOptions {
  analyze?: boolean;
}

/** A google.protobuf.Struct as proto-loader encodes it (string values are all this emulator sends). */
export interface WireStruct {
  fields: Record<string, { stringValue: string }>;
}

export interface WireExplainMetrics {
  planSummary: { indexesUsed: WireStruct[] };
  executionStats?: {
    resultsReturned: string;
    executionDuration: { seconds: string; nanos: number };
    readOperations: string;
    debugStats: WireStruct;
  };
}

export interface RunQueryResponse {
  document?: WireDocument;
  transaction?: Buffer;
  readTime?: WireTimestamp;
  explainMetrics?: WireExplainMetrics;
  skippedResults?: number;
  done?: boolean;
}

export interface RunAggregationQueryRequest extends WireConsistency {
  parent?: string;
  structuredAggregationQuery?: { structuredQuery?: WireStructuredQuery; aggregations?: WireAggregation[] };
  explainOptions?: WireExplainOptions;
}

export interface RunAggregationQueryResponse {
  result?: { aggregateFields: Record<string, WireValue> };
  transaction?: Buffer;
  readTime?: WireTimestamp;
  explainMetrics?: WireExplainMetrics;
}

export interface ListDocumentsRequest {
  parent?: string;
  collectionId?: string;
  pageSize?: number;
  pageToken?: string;
  orderBy?: string;
  mask?: WireDocumentMask;
  consistencySelector?: 'transaction' | 'readTime';
  transaction?: Buffer;
  readTime?: WireTimestamp;
  showMissing?: boolean;
}

export interface ListDocumentsResponse {
  documents: WireDocument[];
  nextPageToken: string;
}

export interface ListCollectionIdsRequest {
  parent?: string;
  pageSize?: number;
  pageToken?: string;
  readTime?: WireTimestamp;
}

export interface ListCollectionIdsResponse {
  collectionIds: string[];
  nextPageToken: string;
}

export interface BatchWriteRequest {
  database?: string;
  writes?: WireWrite[];
}

export interface WireStatus {
  code: number;
  message: string;
}

export interface BatchWriteResponse {
  writeResults: WireWriteResult[];
  status: WireStatus[];
}

export interface ResetRequest {
  database?: string;
}

/** A commit fault as the admin RPC carries it; checked against `commitFaultSchema` (faults.ts). */
export interface WireCommitFault {
  code?: string;
  when?: string;
  documentPrefix?: string;
  count?: number;
  fraction?: number;
  seed?: number;
  delayMs?: number;
}

export interface SetCommitFaultsRequest {
  faults?: WireCommitFault[];
  scope?: string;
}

export interface WireTarget {
  targetType?: 'query' | 'documents';
  query?: { parent?: string; structuredQuery?: WireStructuredQuery };
  documents?: { documents?: string[] };
  resumeType?: 'resumeToken' | 'readTime';
  resumeToken?: Buffer;
  readTime?: WireTimestamp;
  targetId?: number;
  once?: boolean;
}

export interface ListenRequest {
  database?: string;
  targetChange?: 'addTarget' | 'removeTarget';
  addTarget?: WireTarget;
  removeTarget?: number;
}

export interface WireTargetChange {
  targetChangeType: 'NO_CHANGE' | 'ADD' | 'REMOVE' | 'CURRENT' | 'RESET';
  targetIds: number[];
  cause?: WireStatus;
  resumeToken?: Buffer;
  readTime?: WireTimestamp;
}

/** One ListenResponse: exactly one of its fields is set. */
export interface ListenResponse {
  targetChange?: WireTargetChange;
  documentChange?: { document: WireDocument; targetIds: number[]; removedTargetIds: number[] };
  documentDelete?: { document: string; removedTargetIds: number[]; readTime: WireTimestamp };
  documentRemove?: { document: string; removedTargetIds: number[]; readTime: WireTimestamp };
}
