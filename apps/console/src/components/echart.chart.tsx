import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { type ECharts, init, use as registerEChartsParts } from 'echarts/core';
import type { EChartOption } from './echart';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only what the console draws (bar charts with a legend, tooltips and a threshold line): every other chart type or
// component costs kilobytes on each chart page. A chart that needs more registers it here.
registerEChartsParts([BarChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/**
 * One ECharts chart, sized to its container and redrawn when `option` changes. Charts are pictures: a page shows
 * the same numbers as text too (statistics or a table), which is what screen readers and the browser tests read;
 * `label` names the chart in the user's language. (ECharts' own aria module is left out: it overwrites that label
 * with an English description of the data.)
 */
/** The chart itself; pages use `EChart` from ./echart, which loads this module (and ECharts) on first use. */
export default function EChartCanvas({ option, height = 280, label }: { option: EChartOption; height?: number; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = init(element, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={container} role="img" aria-label={label} style={{ width: '100%', height }} />;
}
