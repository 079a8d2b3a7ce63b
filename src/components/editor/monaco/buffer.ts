import { monaco } from "./setup";

const BOM = "\ufeff";

/**
 * A model's text as the file holds it. Monaco keeps a leading byte-order mark apart from the text it edits and
 * drops it from getValue() unless asked: without this, the first save of a file with a BOM would remove it.
 */
export function bufferText(model: monaco.editor.ITextModel): string {
  return model.getValue(monaco.editor.EndOfLinePreference.TextDefined, true);
}

/** `value` as an edit of the whole model must insert it: without the mark the model already keeps apart. */
export function editText(model: monaco.editor.ITextModel, value: string): string {
  const keptApart = bufferText(model).startsWith(BOM) && !model.getValue().startsWith(BOM);
  return keptApart && value.startsWith(BOM) ? value.slice(BOM.length) : value;
}
