/** The order plugin's reducers: one per aggregate type it owns (`signal`, `order`). */
export * from './order-state-machine';
export * from './order-reducer';
export * from './signal-reducer';
