/** Milliseconds as the reports print them: two decimals below 10, one above. */
export const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
