// The memory graph behind AliasDb (PyTorch's MemoryDAG, torch/csrc/jit/passes/utils/memory_dag.cpp):
// elements point to other elements (an alias of) and contain others (a container's contents); an
// element that points to nothing is a memory location. Facts are asked only once the graph is complete,
// so the order the analysis met the IR in (loops, later escapes) never matters.

/** A set of memory locations: element indices, sorted, no duplicates. Shared; never mutated. */
export type Locations = readonly number[];

const EMPTY: Locations = [];
const NONE: number[] = [];

/** What an element stands for, in dumps: a value (named as it is when dumped) or a description. */
export type ElementLabel = string | { readonly debugName: string };

/** Element graph: built by the analysis, then sealed and queried. */
export class MemoryDag {
  // Edge lists, shared NONE until an element gets its first edge (most never do).
  private readonly pointsTo: number[][] = [];
  private readonly contains: number[][] = [];
  private readonly labels: ElementLabel[] = [];
  private leaf: Locations[] = [];
  /** Wildcard elements each memory location was joined to when a value holding it escaped. */
  private readonly joined = new Map<number, number[]>();
  private readonly final: (Locations | undefined)[] = [];
  private sealed = false;

  get size(): number {
    return this.pointsTo.length;
  }

  makeElement(label: ElementLabel): number {
    this.assertBuilding();
    this.pointsTo.push(NONE);
    this.contains.push(NONE);
    this.labels.push(label);
    return this.pointsTo.length - 1;
  }

  /** For dumps: `%name` of the value an element was made for, or the wildcard's description. */
  label(e: number): string {
    const l = this.labels[e];
    return typeof l === 'string' ? l : `%${l.debugName}`;
  }

  makePointerTo(from: number, to: number): void {
    this.assertBuilding();
    const list = this.pointsTo[from];
    if (from === to || list.includes(to)) return;
    if (list === NONE) this.pointsTo[from] = [to];
    else list.push(to);
  }

  addContained(inner: number, container: number): void {
    this.assertBuilding();
    const list = this.contains[container];
    if (inner === container || list.includes(inner)) return;
    if (list === NONE) this.contains[container] = [inner];
    else list.push(inner);
  }

  pointees(e: number): readonly number[] {
    return this.pointsTo[e];
  }

  containedIn(e: number): readonly number[] {
    return this.contains[e];
  }

  /**
   * Ends building. Every memory location of each `[element, wildcard]` pair's element now also lives in
   * that wildcard (PyTorch's MemoryDAG::setWildcards: an escaped value may be anything of its type).
   */
  seal(escapes: readonly (readonly [number, number])[]): void {
    this.leaf = leafLocations(this.pointsTo);
    for (const [element, wildcard] of escapes) {
      for (const loc of this.leaf[element]) {
        if (loc === wildcard) continue;
        const list = this.joined.get(loc) ?? [];
        if (!list.includes(wildcard)) list.push(wildcard);
        this.joined.set(loc, list);
      }
    }
    this.sealed = true;
  }

  /** The memory locations element `e` may be (PyTorch's getMemoryLocations). */
  locations(e: number): Locations {
    const cached = this.final[e];
    if (cached) return cached;
    const leaf = this.leaf[e] ?? EMPTY;
    let extra: number[] | undefined;
    for (const loc of leaf) {
      const w = this.joined.get(loc);
      if (w) (extra ??= []).push(...w);
    }
    const result = extra ? union([leaf, sortedUnique(extra)]) : leaf;
    this.final[e] = result;
    return result;
  }

  /**
   * Adds to `out` the element itself, its locations and everything they and it contain, transitively
   * (PyTorch's collectAllContainedMemoryLocations).
   */
  collectContained(e: number, out: Set<number>): void {
    const stack = [e];
    while (stack.length) {
      const x = stack.pop()!;
      if (out.has(x)) continue;
      out.add(x);
      for (const loc of this.locations(x)) if (!out.has(loc)) stack.push(loc);
      for (const c of this.contains[x]) if (!out.has(c)) stack.push(c);
    }
  }

  private assertBuilding(): void {
    if (this.sealed) throw new Error('internal: the memory graph is sealed');
  }
}

/** True when the two sorted location sets share an element. */
export function intersects(a: Locations, b: Locations): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) return true;
    if (a[i] < b[j]) i++;
    else j++;
  }
  return false;
}

/** True when some location of `a` is in `set`. */
export function meets(a: Locations, set: ReadonlySet<number>): boolean {
  for (const x of a) if (set.has(x)) return true;
  return false;
}

function sortedUnique(xs: number[]): Locations {
  const s = [...new Set(xs)].sort((p, q) => p - q);
  return s;
}

function union(sets: Locations[]): Locations {
  const nonEmpty = [...new Set(sets)].filter((s) => s.length > 0);
  if (nonEmpty.length === 0) return EMPTY;
  if (nonEmpty.length === 1) return nonEmpty[0];
  return sortedUnique(nonEmpty.flat());
}

/**
 * The elements with no pointee reachable from each element, by strongly connected components (Tarjan,
 * iterative): pointer cycles appear once loop bodies feed their inputs back. A chain of pointers shares
 * its target's array instead of copying it.
 */
function leafLocations(pointsTo: readonly number[][]): Locations[] {
  const n = pointsTo.length;
  const result: Locations[] = new Array<Locations>(n);
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    if (pointsTo[root].length === 0) {
      // A memory location on its own (most elements): its own component, nothing to walk.
      index[root] = counter++;
      result[root] = [root];
      continue;
    }
    const work: [number, number][] = [[root, 0]];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length) {
      const top = work[work.length - 1];
      const [v, edge] = top;
      const targets = pointsTo[v];
      if (edge < targets.length) {
        top[1]++;
        const w = targets[edge];
        if (index[w] === -1 && pointsTo[w].length === 0) {
          index[w] = counter++;
          result[w] = [w];
        } else if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], index[w]);
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] !== index[v]) continue;
      const component: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = 0;
        component.push(w);
      } while (w !== v);
      resolveComponent(component, pointsTo, result);
    }
  }
  return result;
}

// Components come out after every component they point into, so their targets are resolved already.
function resolveComponent(component: number[], pointsTo: readonly number[][], result: Locations[]): void {
  if (component.length === 1) {
    // Most components: one element pointing at one other, which shares its target's array.
    const e = component[0];
    const targets = pointsTo[e];
    if (targets.length === 1 && targets[0] !== e) {
      result[e] = result[targets[0]];
      return;
    }
  }
  const members = new Set(component);
  const sources: Locations[] = [];
  for (const e of component) for (const t of pointsTo[e]) if (!members.has(t)) sources.push(result[t]);
  let locs: Locations;
  if (component.length === 1 && pointsTo[component[0]].length === 0) locs = [component[0]];
  else if (sources.length === 0) locs = [Math.min(...component)];
  else locs = union(sources);
  for (const e of component) result[e] = locs;
}
