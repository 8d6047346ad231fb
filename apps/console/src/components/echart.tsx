import type { EChartsCoreOption } from 'echarts/core';
import { Skeleton } from 'antd';
import { lazy, Suspense } from 'react';

export type EChartOption = EChartsCoreOption;

// ECharts is most of a chart page's JavaScript (about 190 kB gzip): it loads after the page's numbers are on screen,
// in its own chunk, and pages without a chart never load it.
const EChartCanvas = lazy(() => import('./echart.chart'));

/** A chart (see echart.chart.tsx), with a placeholder of its size while ECharts loads. */
export function EChart(props: { option: EChartOption; height?: number; label: string }) {
  const height = props.height ?? 280;
  return (
    <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height }} aria-label={props.label} />}>
      <EChartCanvas {...props} />
    </Suspense>
  );
}
