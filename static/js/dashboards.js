// Dashboards: draws every <canvas data-chart="ID"> from the JSON in <script id="ID"
// type="application/json"> (Django's json_script). No inline script: CSP script-src 'self'.
// The numbers are also in a table beside each chart; the chart is a picture of them.
(function () {
  "use strict";

  function percentTicks(value) {
    return value + "%";
  }

  function configFrom(spec) {
    const scales = {};
    const index = spec.horizontal ? "y" : "x";
    const value = spec.horizontal ? "x" : "y";
    scales[index] = { stacked: Boolean(spec.stacked) };
    scales[value] = { stacked: Boolean(spec.stacked), beginAtZero: spec.type === "bar" };
    if (spec.integer) {
      scales[value].ticks = { precision: 0 }; // counts of enterprises: no 0.5 ticks
    }
    if (spec.percent) {
      scales[value].max = 100;
      scales[value].ticks = { callback: percentTicks };
    }
    if (spec.secondPercentAxis) {
      scales.percent = {
        position: "right",
        beginAtZero: true,
        max: 100,
        grid: { drawOnChartArea: false },
        ticks: { callback: percentTicks },
      };
    }
    return {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        indexAxis: index,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        spanGaps: true,
        elements: { point: { radius: 4 } },
        scales: scales,
        plugins: { legend: { position: "bottom" } },
      },
    };
  }

  function draw() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      const source = document.getElementById(canvas.dataset.chart);
      if (!source) {
        return;
      }
      const chart = new window.Chart(canvas, configFrom(JSON.parse(source.textContent)));
      canvas.dataset.drawn = String(chart.data.datasets.length);
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
