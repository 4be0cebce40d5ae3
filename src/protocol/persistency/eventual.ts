/**
 * Eventual (spec/persistency.md "Eventual"): the base protocol with asynchronous persists
 * in any order. No guarantee beyond CONVERGE.
 */
import { BASE_MODEL, type PersistencyModel } from './model.ts';

export const eventual: PersistencyModel & { readonly name: 'eventual' } = {
  ...BASE_MODEL,
  name: 'eventual',
  title: 'Eventual',
  guarantee: null,
};
