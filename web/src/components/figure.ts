/** One number shown under a chart; `testid` marks the element holding the plain count. */
export interface Figure {
  key: string;
  label: string;
  count: number;
  percent?: number | null;
  testid: string;
}
