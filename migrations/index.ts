/**
 * The list of migrations, imported statically so every runtime (Node, Workers) bundles the same set.
 * Names sort in the order they apply.
 */
import type { Migration } from "kysely";
import * as m0001 from "./0001_initial.js";

export const migrations: Record<string, Migration> = {
  "0001_initial": m0001,
};
