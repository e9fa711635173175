// Dashboards: draws every <canvas data-chart="ID"> from the JSON in <script id="ID"
// type="application/json"> (Django's json_script). No inline script: CSP script-src 'self'.
// The numbers are also in a table beside each chart; the chart is a picture of them.
(function () {
  "use strict";

  function percentTicks(value) {
    return value + "%";
  }

  // Colours come from the stylesheet, so that a chart and a badge never disagree: a dataset
  // that counts one status wears that status's colours (--vc-status-<status>-bg/-line, as
  // .status-badge.status-<status> does); any other takes the theme's series colours in turn.
  function cssColour(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function paint(dataset, index, type) {
    const status = dataset.status;
    delete dataset.status;
    const line = (dataset.type || type) === "line";
    if (status) {
      dataset.backgroundColor = cssColour("--vc-status-" + status + "-bg");
      dataset.borderColor = cssColour("--vc-status-" + status + "-line");
      dataset.borderWidth = 2;
    } else {
      const colour = cssColour("--vc-series-" + ((index % 6) + 1));
      dataset.borderColor = colour;
      dataset.backgroundColor = line ? colour : colour + "cc"; // bars a little lighter
      dataset.borderWidth = 2;
    }
    if (line) {
      dataset.pointBackgroundColor = dataset.borderColor;
    }
    return dataset;
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
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map((d, i) => paint(d, i, spec.type)),
      },
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
