// The memory graph behind AliasDb (PyTorch's MemoryDAG, torch/csrc/jit/passes/utils/memory_dag.cpp):
// elements point to other elements (an alias of) and contain others (a container's contents); an
// element that points to nothing is a memory location. Facts are asked only once the graph is complete,
// so the order the analysis met the IR in (loops, later escapes) never matters.
//
// Sizes: a graph of 15k nodes has ~7k elements, most of them fresh locations pointing nowhere, and an
// AliasDb is built several times per freeze. So the sealed facts are flat: one Int32Array entry per element
// for the common case of a single leaf location, arrays only where an element may be several locations.

/** A set of memory locations: element indices, sorted, no duplicates. Shared; never mutated. */
export type Locations = readonly number[];

const EMPTY: Locations = [];
const NONE: number[] = [];
/** leafOne value of an element that may be several locations (its set is in leafMany). */
const MANY = -1;

/** What an element stands for, in dumps: a value (named as it is when dumped) or a description. */
export type ElementLabel = string | { readonly debugName: string };

/** Element graph: built by the analysis, then sealed and queried. */
export class MemoryDag {
  // Edge lists, absent until an element gets its first edge (most never do).
  private readonly pointsTo: (number[] | undefined)[] = [];
  private readonly contains: (number[] | undefined)[] = [];
  private readonly labels: ElementLabel[] = [];
  /** After seal: the one memory location each element may be, or MANY. */
  private leafOne = new Int32Array(0);
  /** After seal: the locations of the MANY elements (sparse). */
  private leafMany: (Locations | undefined)[] = [];
  /** Wildcard elements each memory location was joined to when a value holding it escaped (sparse). */
  private joined: (number[] | undefined)[] = [];
  private final: (Locations | undefined)[] = [];
  private sealed = false;

  get size(): number {
    return this.labels.length;
  }

  makeElement(label: ElementLabel): number {
    if (this.sealed) this.assertBuilding();
    return this.labels.push(label) - 1;
  }

  /** What element `e` was made for: a value, or a wildcard's description. */
  labelOf(e: number): ElementLabel {
    return this.labels[e];
  }

  /** For dumps: `%name` of the value an element was made for, or the wildcard's description. */
  label(e: number): string {
    const l = this.labels[e];
    return typeof l === 'string' ? l : `%${l.debugName}`;
  }

  makePointerTo(from: number, to: number): void {
    this.assertBuilding();
    if (from === to) return;
    const list = this.pointsTo[from];
    if (list === undefined) setDense(this.pointsTo, from, [to]);
    else if (!list.includes(to)) list.push(to);
  }

  addContained(inner: number, container: number): void {
    this.assertBuilding();
    if (inner === container) return;
    const list = this.contains[container];
    if (list === undefined) setDense(this.contains, container, [inner]);
    else if (!list.includes(inner)) list.push(inner);
  }

  pointees(e: number): readonly number[] {
    return this.pointsTo[e] ?? NONE;
  }

  containedIn(e: number): readonly number[] {
    return this.contains[e] ?? NONE;
  }

  /**
   * Ends building. Every memory location of each escaped element (`escapes[i]`, escaped into wildcard
   * `wildcards[i]`) now also lives in that wildcard (PyTorch's MemoryDAG::setWildcards: an escaped value
   * may be anything of its type).
   */
  seal(escapes: readonly number[], wildcards: readonly number[]): void {
    this.assertBuilding();
    this.resolveLeaves();
    const joined: (number[] | undefined)[] = new Array<number[] | undefined>(this.size);
    const join = (loc: number, wildcard: number): void => {
      if (loc === wildcard) return;
      const list = joined[loc];
      if (list === undefined) joined[loc] = [wildcard];
      else if (!list.includes(wildcard)) list.push(wildcard);
    };
    for (let i = 0; i < escapes.length; i++) {
      const e = escapes[i];
      const one = this.leafOne[e];
      if (one !== MANY) join(one, wildcards[i]);
      else for (const loc of this.leafMany[e]!) join(loc, wildcards[i]);
    }
    this.joined = joined;
    this.final = new Array<Locations | undefined>(this.size);
    this.sealed = true;
  }

  /** The memory locations element `e` may be (PyTorch's getMemoryLocations). */
  locations(e: number): Locations {
    const cached = this.final[e];
    if (cached) return cached;
    const one = this.leafOne[e];
    let result: Locations;
    if (one === undefined) result = EMPTY;
    else if (one !== MANY) {
      const w = this.joined[one];
      result = w ? sortedUnique([one, ...w]) : [one];
    } else {
      const leaf = this.leafMany[e]!;
      let extra: number[] | undefined;
      for (const loc of leaf) {
        const w = this.joined[loc];
        if (w) (extra ??= []).push(...w);
      }
      result = extra ? sortedUnique([...leaf, ...extra]) : leaf;
    }
    this.final[e] = result;
    return result;
  }

  /** Some memory location of `e` is marked in `marks` (meets(locations(e), marks), without the set). */
  someLocationMarked(e: number, marks: Uint8Array): boolean {
    const one = this.leafOne[e];
    if (one === undefined) return false;
    if (one !== MANY) return marks[one] === 1 || this.someJoinedMarked(one, marks);
    for (const loc of this.leafMany[e]!)
      if (marks[loc] === 1 || this.someJoinedMarked(loc, marks)) return true;
    return false;
  }

  private someJoinedMarked(loc: number, marks: Uint8Array): boolean {
    const w = this.joined[loc];
    if (w) for (let i = 0; i < w.length; i++) if (marks[w[i]] === 1) return true;
    return false;
  }

  /** Marks in `marks` every memory location of `e` (the locations(e) set, without building it). */
  markLocations(e: number, marks: Uint8Array): void {
    const one = this.leafOne[e];
    if (one === undefined) return;
    if (one !== MANY) this.markLocation(one, marks);
    else for (const loc of this.leafMany[e]!) this.markLocation(loc, marks);
  }

  private markLocation(loc: number, marks: Uint8Array): void {
    marks[loc] = 1;
    const w = this.joined[loc];
    if (w) for (let i = 0; i < w.length; i++) marks[w[i]] = 1;
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
      const held = this.contains[x];
      if (held) for (const c of held) if (!out.has(c)) stack.push(c);
    }
  }

  private assertBuilding(): void {
    if (this.sealed) throw new Error('internal: the memory graph is sealed');
  }

  /**
   * The elements with no pointee reachable from each element, by strongly connected components (Tarjan,
   * iterative): pointer cycles appear once loop bodies feed their inputs back. Elements pointing nowhere
   * (most) are their own location without a walk; a chain of pointers shares its target's set.
   */
  private resolveLeaves(): void {
    const pointsTo = this.pointsTo;
    const n = this.size;
    const leafOne = new Int32Array(n);
    for (let e = 0; e < n; e++) leafOne[e] = e;
    this.leafOne = leafOne;
    const index = new Int32Array(n);
    const low = new Int32Array(n);
    const onStack = new Uint8Array(n);
    const stack: number[] = [];
    const workNode: number[] = [];
    const workEdge: number[] = [];
    let counter = 1; // index 0: not visited yet
    for (let root = 0; root < n; root++) {
      if (pointsTo[root] === undefined || index[root] !== 0) continue; // its own location, or resolved
      index[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = 1;
      workNode.push(root);
      workEdge.push(0);
      while (workNode.length) {
        const top = workNode.length - 1;
        const v = workNode[top];
        const targets = pointsTo[v]!;
        const edge = workEdge[top];
        if (edge < targets.length) {
          workEdge[top] = edge + 1;
          const w = targets[edge];
          if (pointsTo[w] === undefined) continue; // a location: resolved already
          if (index[w] === 0) {
            index[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = 1;
            workNode.push(w);
            workEdge.push(0);
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], index[w]);
          }
          continue;
        }
        workNode.pop();
        workEdge.pop();
        if (workNode.length) {
          const parent = workNode[workNode.length - 1];
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] !== index[v]) continue;
        if (stack[stack.length - 1] === v) {
          // A component of one element (most): no cycle through it.
          stack.pop();
          onStack[v] = 0;
          this.resolveSingle(v);
          continue;
        }
        const component: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        this.resolveCycle(component);
      }
    }
  }

  // Components come out after every component they point into, so their targets are resolved already.
  private resolveSingle(e: number): void {
    const targets = this.pointsTo[e]!;
    if (targets.length === 1) {
      // Most: one element pointing at one other, which it shares the locations of.
      const t = targets[0];
      const one = this.leafOne[t];
      this.leafOne[e] = one;
      if (one === MANY) this.leafMany[e] = this.leafMany[t];
      return;
    }
    this.setLeaves([e], targets, undefined);
  }

  private resolveCycle(component: number[]): void {
    const members = new Set(component);
    const targets: number[] = [];
    for (const e of component) for (const t of this.pointsTo[e]!) if (!members.has(t)) targets.push(t);
    this.setLeaves(component, targets, Math.min(...component));
  }

  // The union of the targets' locations for every element of a component (its least element when the
  // component points nowhere else).
  private setLeaves(component: readonly number[], targets: readonly number[], ownLocation?: number): void {
    let locs: number[] = [];
    for (const t of targets) {
      const one = this.leafOne[t];
      if (one !== MANY) locs.push(one);
      else locs.push(...this.leafMany[t]!);
    }
    if (locs.length === 0) locs = [ownLocation!];
    const set = sortedUnique(locs);
    for (const e of component) {
      if (set.length === 1) this.leafOne[e] = set[0];
      else {
        this.leafOne[e] = MANY;
        this.leafMany[e] = set;
      }
    }
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

// Sets entry `i`, filling any gap before it (a far write would turn the array into a dictionary).
function setDense(lists: (number[] | undefined)[], i: number, list: number[]): void {
  while (lists.length < i) lists.push(undefined);
  lists[i] = list;
}

function sortedUnique(xs: number[]): number[] {
  const n = xs.length;
  if (n < 2) return xs;
  if (n <= 16) {
    // Most sets here are a handful of locations: insertion sort, no comparator calls or scratch array.
    for (let i = 1; i < n; i++) {
      const x = xs[i];
      let j = i - 1;
      while (j >= 0 && xs[j] > x) {
        xs[j + 1] = xs[j];
        j--;
      }
      xs[j + 1] = x;
    }
  } else xs.sort((p, q) => p - q);
  let k = 1;
  for (let i = 1; i < xs.length; i++) if (xs[i] !== xs[k - 1]) xs[k++] = xs[i];
  xs.length = k;
  return xs;
}
