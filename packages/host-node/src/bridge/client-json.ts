/**
 * Bounds on JSON a client sends, checked at the door before anything else looks at the value.
 * Both walks are iterative, so no input can exhaust the stack here.
 */

/**
 * True when `value` nests arrays and objects more than `maxDepth` levels deep. A scalar is depth
 * 0, `[]` and `{}` are depth 1, `[[1]]` is depth 2. Stops at the first path that is too deep.
 */
export function deeperThan(value: unknown, maxDepth: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (typeof top.value !== 'object' || top.value === null) continue;
    const depth = top.depth + 1;
    if (depth > maxDepth) return true;
    const children = Array.isArray(top.value) ? top.value : Object.values(top.value);
    for (const child of children)
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth });
  }
  return false;
}
