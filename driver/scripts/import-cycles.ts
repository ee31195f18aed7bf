/**
 * Import cycles among the driver's own modules, type-only imports included (a cycle through types is still two
 * modules that cannot be read, or moved, one without the other). Usage, from driver/:
 *
 *   node -r ./test/helpers/ts-register.js scripts/import-cycles.ts [dir]     (default: src)
 *
 * Prints one line per cycle (`a.ts -> b.ts -> a.ts`) and exits 1 when there is any, else prints
 * `no import cycles in N modules` and exits 0. test/core/import-graph.test.ts runs the same check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** Module file → the driver modules it imports (resolved to files under the same root). */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export function importGraph(rootDir: string): ImportGraph {
  const root = path.resolve(rootDir);
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(root)) {
    const targets = relativeSpecifiers(file)
      .map((spec) => resolveModule(path.dirname(file), spec))
      .filter((target): target is string => target !== undefined && target.startsWith(root + path.sep));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * Relative imports of modules under `rootDir` that reach outside it (or resolve to no file), as
 * `from.ts -> ../elsewhere/to` relative to `rootDir`: production code (src/) must not lean on test-support/ or test/.
 */
export function importsLeaving(rootDir: string): string[] {
  const root = path.resolve(rootDir);
  return sourceFiles(root).flatMap((file) =>
    relativeSpecifiers(file)
      .filter((spec) => !(resolveModule(path.dirname(file), spec)?.startsWith(root + path.sep) ?? false))
      .map((spec) => `${path.relative(root, file)} -> ${path.relative(root, path.resolve(path.dirname(file), spec))}`));
}

/** A module's relative import specifiers (`./x`, `../y`), type-only imports and require() included. */
function relativeSpecifiers(file: string): string[] {
  return ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles.map((ref) => ref.fileName).filter((spec) => spec.startsWith('.'));
}

/**
 * Every cycle's strongly connected component, each as a closed path relative to `rootDir`: between modules, and
 * between folders (`node` -> `metadata` -> `node`, where two folders lean on each other through different files).
 * A module naming itself (a recursive type, as in the generated protobuf types) is no cycle between two modules.
 */
export function importCycles(rootDir: string): string[][] {
  const root = path.resolve(rootDir);
  const modules = importGraph(root);
  const folders = folderGraph(root, modules);
  return [...cyclesOf(modules), ...cyclesOf(folders)].map((cycle) => cycle.map((file) => path.relative(root, file) || '.'));
}

/** The graph between the root's top-level folders (a top-level file stands for itself). */
export function folderGraph(root: string, modules: ImportGraph): ImportGraph {
  const folderOf = (file: string): string => path.join(root, path.relative(root, file).split(path.sep)[0]);
  const graph = new Map<string, Set<string>>();
  for (const [file, targets] of modules) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    graph.set(from, edges);
  }
  return new Map([...graph].map(([folder, edges]) => [folder, [...edges]]));
}

function cyclesOf(graph: ImportGraph): string[][] {
  return stronglyConnected(graph)
    .filter((component) => component.length > 1)
    .map((component) => closedPath(graph, component));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolveModule(fromDir: string, spec: string): string | undefined {
  const base = path.resolve(fromDir, spec);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

/** Tarjan's algorithm, iterative enough for a source tree (recursion depth is the longest import chain). */
function stronglyConnected(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}

/** A readable cycle through a component: from its first file, breadth-first back to that file. */
function closedPath(graph: ImportGraph, component: readonly string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const cycle = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) cycle.splice(1, 0, at);
        return [...cycle, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...component, start];
}

if (require.main === module) {
  const dir = process.argv[2] ?? path.join(__dirname, '..', 'src');
  const cycles = importCycles(dir);
  for (const cycle of cycles) process.stdout.write(`${cycle.join(' -> ')}\n`);
  if (cycles.length > 0) {
    process.stdout.write(`${cycles.length} import cycle(s)\n`);
    process.exit(1);
  }
  process.stdout.write(`no import cycles in ${importGraph(dir).size} modules\n`);
}
