/** The one user the example seeds and the printed token speaks for. */
export const DEMO_USER = 'demo';
