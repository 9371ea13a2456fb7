using System.Text.Json;
using ScottPlot;

// Usage:
//   TrainingPlots curves HISTORY.json OUT.png   — loss, validation metric and learning rate per epoch (+ strides)
//   TrainingPlots bars BARS.json OUT.png        — one bar per config with an error bar (mean ± std)
//   TrainingPlots histograms HIST.json OUT.png  — binned counts of several series, each as a share of its total
//   TrainingPlots lines LINES.json OUT.png      — several series of values per epoch
// HISTORY.json: {"title":…, "metricName":…, "epochs":[{"epoch":1,"trainLoss":…,"trainMetric":…,"validationMetric":…|null,"learningRate":…,"strides":[…]|null}, …]}
// BARS.json: {"title":…, "valueName":…, "bars":[{"label":…,"mean":…,"std":…}, …]}
// HIST.json: {"title":…, "valueName":…, "series":[{"label":…,"counts":[…],"low":…,"high":…}, …]} (equal bins from low to high)
// LINES.json: {"title":…, "xName":…, "valueName":…, "series":[{"label":…,"ys":[…]}, …]} (x = 1, 2, …)
if (args.Length != 3 || args[0] is not ("curves" or "bars" or "histograms" or "lines"))
{
    Console.Error.WriteLine("usage: TrainingPlots curves|bars|histograms|lines INPUT.json OUT.png");
    return 2;
}

var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
var json = File.ReadAllText(args[1]);
if (args[0] == "curves")
{
    Curves(JsonSerializer.Deserialize<History>(json, options) ?? throw new InvalidDataException($"{args[1]} is empty."), args[2]);
}
else if (args[0] == "bars")
{
    Bars(JsonSerializer.Deserialize<BarChart>(json, options) ?? throw new InvalidDataException($"{args[1]} is empty."), args[2]);
}
else if (args[0] == "histograms")
{
    Histograms(JsonSerializer.Deserialize<HistogramChart>(json, options) ?? throw new InvalidDataException($"{args[1]} is empty."), args[2]);
}
else
{
    Lines(JsonSerializer.Deserialize<LineChart>(json, options) ?? throw new InvalidDataException($"{args[1]} is empty."), args[2]);
}

Console.WriteLine($"wrote {args[2]}");
return 0;

static void Curves(History history, string path)
{
    var epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
    var panels = history.Epochs.Any(e => e.Strides is { Length: > 0 }) ? 4 : 3;
    var multiplot = new Multiplot();
    multiplot.AddPlots(panels);
    var (loss, metric, rate) = (multiplot.GetPlot(0), multiplot.GetPlot(1), multiplot.GetPlot(2));
    loss.Title(history.Title);
    loss.Add.Scatter(epochs, [.. history.Epochs.Select(e => e.TrainLoss)]).LegendText = "training loss";
    loss.YLabel("loss");
    metric.Add.Scatter(epochs, [.. history.Epochs.Select(e => e.TrainMetric)]).LegendText = $"training {history.MetricName}";
    if (history.Epochs.All(e => e.ValidationMetric is not null))
    {
        metric.Add.Scatter(epochs, [.. history.Epochs.Select(e => e.ValidationMetric!.Value)]).LegendText = $"validation {history.MetricName}";
    }

    metric.YLabel(history.MetricName);
    metric.ShowLegend(Alignment.LowerRight);
    rate.Add.Scatter(epochs, [.. history.Epochs.Select(e => e.LearningRate)]).LegendText = "learning rate";
    rate.YLabel("learning rate");
    rate.XLabel("epoch");
    if (panels == 4)
    {
        var strides = multiplot.GetPlot(3);
        var count = history.Epochs.Max(e => e.Strides?.Length ?? 0);
        for (var s = 0; s < count; s++)
        {
            var index = s;
            strides.Add.Scatter(epochs, [.. history.Epochs.Select(e => e.Strides is { } values && index < values.Length ? values[index] : double.NaN)]).LegendText = $"stride {s + 1}";
        }

        strides.YLabel("learned stride");
        strides.XLabel("epoch");
        strides.ShowLegend();
    }

    for (var i = 0; i < panels; i++)
    {
        multiplot.GetPlot(i).Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
    }

    multiplot.SavePng(path, 800, 250 * panels);
}

static void Bars(BarChart chart, string path)
{
    var plot = new Plot();
    for (var i = 0; i < chart.Bars.Count; i++)
    {
        var bar = plot.Add.Bar(position: i, value: chart.Bars[i].Mean, error: chart.Bars[i].Std);
        bar.Color = Colors.SteelBlue;
    }

    plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, chart.Bars.Count).Select(i => (double)i)], [.. chart.Bars.Select(b => b.Label)]);
    var low = chart.Bars.Min(b => b.Mean - b.Std);
    var high = chart.Bars.Max(b => b.Mean + b.Std);
    plot.Axes.SetLimitsY(Math.Max(chart.Bars.All(b => b.Mean >= 0) ? 0 : double.NegativeInfinity, low - ((high - low) * 0.2)), high + ((high - low) * 0.1));
    plot.Axes.Bottom.TickLabelStyle.Rotation = -30;
    plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperRight;
    // Labels drawn at 30°: their height is about half their length (≈ 8 px a character) plus the tick margin.
    var labelHeight = Math.Max(110, 20 + (4 * chart.Bars.Max(b => b.Label.Length)));
    plot.Axes.Bottom.MinimumSize = labelHeight;
    // The first label reaches left of its bar by about cos 30° × its length (≈ 6 px a character); keep it inside the image.
    plot.Axes.Left.MinimumSize = Math.Max(60, (6 * chart.Bars[0].Label.Length) - 30);
    plot.Title(chart.Title);
    plot.YLabel(chart.ValueName);
    plot.SavePng(path, Math.Max(640, 120 + (90 * chart.Bars.Count)), 340 + labelHeight);
}

static void Histograms(HistogramChart chart, string path)
{
    var plot = new Plot();
    foreach (var series in chart.Series)
    {
        var width = (series.High - series.Low) / series.Counts.Length;
        var total = Math.Max(1, series.Counts.Sum());
        var xs = Enumerable.Range(0, series.Counts.Length).Select(i => series.Low + ((i + 0.5) * width)).ToArray();
        var line = plot.Add.Scatter(xs, [.. series.Counts.Select(c => 100.0 * c / total)]);
        line.LegendText = series.Label;
        line.LineWidth = 2;
        line.MarkerSize = 4;
    }

    plot.Title(chart.Title);
    plot.XLabel(chart.ValueName);
    plot.YLabel("% of weights per bin");
    plot.ShowLegend(Alignment.UpperRight);
    plot.SavePng(path, 800, 450);
}

static void Lines(LineChart chart, string path)
{
    var plot = new Plot();
    foreach (var series in chart.Series)
    {
        var line = plot.Add.Scatter([.. Enumerable.Range(1, series.Ys.Length).Select(x => (double)x)], series.Ys);
        line.LegendText = series.Label;
        line.MarkerSize = 3;
    }

    plot.Title(chart.Title);
    plot.XLabel(chart.XName);
    plot.YLabel(chart.ValueName);
    plot.ShowLegend(Alignment.UpperRight);
    plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
    plot.SavePng(path, 900, 500);
}

internal sealed record History(string Title, string MetricName, List<EpochRow> Epochs);

internal sealed record EpochRow(int Epoch, double TrainLoss, double TrainMetric, double? ValidationMetric, double LearningRate, double[]? Strides);

internal sealed record BarChart(string Title, string ValueName, List<BarRow> Bars);

internal sealed record BarRow(string Label, double Mean, double Std);

internal sealed record HistogramChart(string Title, string ValueName, List<HistogramSeries> Series);

internal sealed record HistogramSeries(string Label, int[] Counts, double Low, double High);

internal sealed record LineChart(string Title, string XName, string ValueName, List<LineSeries> Series);

internal sealed record LineSeries(string Label, double[] Ys);
