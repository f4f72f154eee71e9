import { toWireTimestamp } from './clock';
import { type FieldPath, projectFields } from './field-paths';
import { resourceName } from './paths';
import type { StoredDocument } from './store';
import { encodeFields } from './values';
import type { WireDocument } from './wire';

/** A stored document as the RPCs return it, with only the `mask` fields when one is given. */
export function encodeDocument(
  database: string,
  document: StoredDocument,
  mask?: readonly FieldPath[],
): WireDocument {
  return {
    name: resourceName(database, document.path),
    fields: encodeFields(mask ? projectFields(document.fields, mask) : document.fields),
    createTime: toWireTimestamp(document.createTime),
    updateTime: toWireTimestamp(document.updateTime),
  };
}
