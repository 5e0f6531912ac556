import { type Static, Type } from '@sinclair/typebox';

/** Limits the host enforces on one recorded frame. */
export const UI_LIMITS = {
  maxDepth: 32,
  maxNodes: 5000,
  maxTextLength: 65536,
  maxOptions: 1000,
  maxIdLength: 256,
} as const;

const id = Type.String({ minLength: 1, maxLength: UI_LIMITS.maxIdLength, description: 'Stable widget id.' });
const text = Type.String({ maxLength: UI_LIMITS.maxTextLength });
const enabled = Type.Boolean();

/** One node of a recorded immediate-mode frame. Groups hold children; everything else is a leaf. */
export const UiNode = Type.Recursive(
  (Self) =>
    Type.Union([
      Type.Object({ id, type: Type.Literal('label'), text }, { additionalProperties: false }),
      Type.Object({ id, type: Type.Literal('heading'), text }, { additionalProperties: false }),
      Type.Object({ id, type: Type.Literal('separator') }, { additionalProperties: false }),
      Type.Object({ id, type: Type.Literal('button'), text, enabled }, { additionalProperties: false }),
      Type.Object(
        {
          id,
          type: Type.Literal('text_edit'),
          value: text,
          hint: text,
          password: Type.Boolean(),
          multiline: Type.Boolean(),
          enabled,
        },
        { additionalProperties: false },
      ),
      Type.Object(
        {
          id,
          type: Type.Literal('combo_box'),
          options: Type.Array(text, { maxItems: UI_LIMITS.maxOptions }),
          selected: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
          placeholder: text,
          enabled,
        },
        { additionalProperties: false },
      ),
      Type.Object(
        { id, type: Type.Literal('toggle'), label: text, value: Type.Boolean(), enabled },
        { additionalProperties: false },
      ),
      Type.Object(
        {
          id,
          type: Type.Union([Type.Literal('horizontal'), Type.Literal('vertical')]),
          children: Type.Array(Self),
        },
        { additionalProperties: false },
      ),
    ]),
  { $id: 'UiNode' },
);
export type UiNode = Static<typeof UiNode>;

/** A whole frame: the top-level nodes in order. */
export const UiTree = Type.Array(UiNode, { description: 'Top-level nodes of one frame.' });
export type UiTree = Static<typeof UiTree>;

export type UiNodeType = UiNode['type'];

/** A UI event coming back from the frontend; becomes a widget's return value on the next frame. */
export const UiEvent = Type.Union([
  Type.Object({ widget_id: id, kind: Type.Literal('click') }, { additionalProperties: false }),
  Type.Object({ widget_id: id, kind: Type.Literal('text'), value: text }, { additionalProperties: false }),
  Type.Object(
    { widget_id: id, kind: Type.Literal('select'), value: Type.Integer({ minimum: -1 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { widget_id: id, kind: Type.Literal('toggle'), value: Type.Boolean() },
    { additionalProperties: false },
  ),
]);
export type UiEvent = Static<typeof UiEvent>;

/** What went wrong with a tree's size or shape. */
export interface UiLimitViolation {
  readonly limit: keyof typeof UI_LIMITS | 'duplicateId';
  readonly message: string;
}

/** Check the limits JSON Schema cannot express: depth, node count and unique ids. */
export function checkUiTreeLimits(tree: readonly UiNode[]): UiLimitViolation | null {
  let count = 0;
  const ids = new Set<string>();
  const walk = (nodes: readonly UiNode[], depth: number): UiLimitViolation | null => {
    if (depth > UI_LIMITS.maxDepth)
      return { limit: 'maxDepth', message: `UI tree is deeper than ${UI_LIMITS.maxDepth} levels` };
    for (const node of nodes) {
      count++;
      if (count > UI_LIMITS.maxNodes)
        return { limit: 'maxNodes', message: `UI tree has more than ${UI_LIMITS.maxNodes} nodes` };
      if (ids.has(node.id))
        return { limit: 'duplicateId', message: `UI tree has two widgets with id "${node.id}"` };
      ids.add(node.id);
      if (node.type === 'horizontal' || node.type === 'vertical') {
        const bad = walk(node.children, depth + 1);
        if (bad) return bad;
      }
    }
    return null;
  };
  return walk(tree, 1);
}
