/**
 * A registry of named values (the persistency models, the recoveries): each by its name,
 * and the names in registration order, which is the order `heal check` runs them in.
 */
export function registry<const T extends readonly { readonly name: string }[]>(values: T) {
  type Name = T[number]['name'];
  return {
    byName: Object.fromEntries(values.map((v) => [v.name, v])) as Readonly<Record<Name, T[number]>>,
    /** A non-empty tuple, as z.enum wants. */
    names: values.map((v) => v.name) as unknown as readonly [Name, ...Name[]],
  };
}
