// Writes a provisioned id into a wrangler.toml environment section as a one-line text edit, so every comment
// and the layout of the file survive (re-serialising the TOML would drop them).

export interface IdEdit {
  env: string;
  table: "d1_databases" | "kv_namespaces";
  binding: string;
  idField: "database_id" | "id";
  id: string;
}

const quote = (value: string) => JSON.stringify(value);
const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Sets `idField` of the `[[env.<env>.<table>]]` entry whose `binding` is `binding`, keeping a trailing comment;
 * adds the field after `binding` when the entry has none. Throws when the entry does not exist.
 */
export function setBindingId(text: string, edit: IdEdit): string {
  const lines = text.split("\n");
  const header = new RegExp(
    `^\\s*\\[\\[\\s*env\\.${escapeRegExp(edit.env)}\\.${edit.table}\\s*\\]\\]\\s*(#.*)?$`,
  );
  const bindingLine = new RegExp(`^\\s*binding\\s*=\\s*${escapeRegExp(quote(edit.binding))}\\s*(#.*)?$`);
  const idLine = new RegExp(`^(\\s*${edit.idField}\\s*=\\s*)"[^"]*"(.*)$`);
  for (let start = 0; start < lines.length; start++) {
    if (!header.test(lines[start] ?? "")) continue;
    let end = start + 1;
    while (end < lines.length && !(lines[end] ?? "").trim().startsWith("[")) end++;
    const block = lines.slice(start + 1, end);
    const at = block.findIndex((line) => bindingLine.test(line));
    if (at < 0) continue;
    const idAt = block.findIndex((line) => idLine.test(line));
    if (idAt >= 0) block[idAt] = (block[idAt] ?? "").replace(idLine, `$1${quote(edit.id)}$2`);
    else block.splice(at + 1, 0, `${edit.idField} = ${quote(edit.id)}`);
    return [...lines.slice(0, start + 1), ...block, ...lines.slice(end)].join("\n");
  }
  throw new Error(`no [[env.${edit.env}.${edit.table}]] with binding = ${quote(edit.binding)}`);
}
