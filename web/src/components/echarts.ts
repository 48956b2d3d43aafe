/** ECharts, tree-shaken: only what the app draws (pie, bar, a marked target line) with the SVG renderer. */
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type MarkLineComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, PieChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TooltipComponentOption
>;

/** A clicked pie segment or bar: its category / segment name and its index in the data. */
export interface ChartItem {
  name: string;
  dataIndex: number;
  seriesIndex: number;
}

/** Palette led by 中国红 and gold, then calm distinguishable hues. */
export const PALETTE = [
  '#c8161d',
  '#f0a020',
  '#2f7ed8',
  '#3ba272',
  '#9a60b4',
  '#e8684a',
  '#17a2b8',
  '#8c6d31',
  '#d4a017',
  '#6b7a8f',
  '#ff8aa0',
];
