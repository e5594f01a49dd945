using System.Globalization;
using System.Management.Automation;
using Refilled.Engine.Reporting;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsData.Export, "RefilledChart", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportRefilledChartCommand : RefilledCmdlet
{
    private readonly List<PSObject> rows = new();

    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    /// <summary>Result rows, e.g. from Import-Csv: one measurement each.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Category { get; set; } = "K";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Group { get; set; } = "Method";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Value { get; set; } = "Accuracy";

    [Parameter]
    public Student[]? Student { get; set; }

    /// <summary>One legend entry per -Student, in the same order.</summary>
    [Parameter]
    public string[]? CurveLabel { get; set; }

    [Parameter]
    public string? Title { get; set; }

    [Parameter]
    [ValidateRange(200, 20_000)]
    public int Width { get; set; } = 1400;

    [Parameter]
    [ValidateRange(200, 20_000)]
    public int Height { get; set; } = 600;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override object? ErrorTarget => Path;

    protected override void Process()
    {
        if (InputObject is not null) rows.Add(InputObject);
    }

    protected override void End()
    {
        var panels = new List<Chart>();
        if (rows.Count > 0) panels.Add(BarChart());
        if (Student is { Length: > 0 } && CurveChart() is { } curves) panels.Add(curves);
        if (panels.Count == 0)
            throw new ArgumentException("There is nothing to chart: pipe result rows (e.g. from Import-Csv) or give -Student.");

        var file = ResolvePath(Path);
        if (!ShouldWrite(file, $"Write a {Width}×{Height} PNG chart", Force)) return;
        new Figure(panels).SavePng(file, Width, Height);
        WriteObject(new FileInfo(file));
    }

    private IntervalChart BarChart()
    {
        var samples = rows.Select((row, i) => (Category: Text(row, i, Category), Group: Text(row, i, Group), Value: Number(row, i, Value))).ToList();
        var points = samples.GroupBy(s => (s.Category, s.Group))
            .Select(g => ChartInterval.MeanAndStandardDeviation(g.Key.Category, g.Key.Group, [.. g.Select(s => s.Value)]));
        return new IntervalChart(points)
        {
            Title = Title ?? $"{Value} by {Category} and {Group} (mean ± std)",
            CategoryName = Category,
            ValueAxisLabel = Value,
            // Fractions (accuracies) keep their axis within [0, 1]; it is fitted to the data, not started at 0.
            ValueBounds = samples.All(s => s.Value is >= 0 and <= 1) ? (0, 1) : null,
        };
    }

    private CurveChart? CurveChart()
    {
        var students = Student!;
        if (CurveLabel is not null && CurveLabel.Length != students.Length)
            throw new ArgumentException($"-CurveLabel has {CurveLabel.Length} labels for {students.Length} students; give one per student.");
        var labels = CurveLabel ?? Distinct(students.Select(DefaultLabel).ToArray());
        var series = new List<CurveSeries>();
        for (var i = 0; i < students.Length; i++)
        {
            var curves = CurveSeries.Validation(labels[i], students[i].History);
            if (curves.Count == 0)
                WriteWarning($"{students[i]} has no validated epoch in its history; it is left out of the curves.");
            series.AddRange(curves);
        }
        if (series.Count == 0) return null;
        var metrics = students.SelectMany(s => s.History)
            .Where(h => h.ValidationMetric is not null).Select(h => h.ValidationMetricName).Distinct().ToList();
        var score = metrics.Count == 1 ? "Validation " + metrics[0] : "Validation score";
        return new CurveChart(series)
        {
            Title = score + " during training",
            XAxisLabel = "SGD step (across stages)",
            YAxisLabel = score,
        };
    }

    /// <summary>e.g. "Stage1 → Stage2 seed 0": the stages the student went through, in order.</summary>
    private static string DefaultLabel(Student student)
    {
        var stages = string.Join(" → ", student.History.Select(h => h.Stage).Distinct());
        var label = stages.Length > 0 ? stages : student.Architecture;
        return student.Seed is int seed ? $"{label} seed {seed}" : label;
    }

    /// <summary>Numbers repeated labels ("Scratch seed 0 #2") so that no two legend entries read the same.</summary>
    private static string[] Distinct(string[] labels) =>
        labels.Select((label, i) => labels.Count(l => l == label) == 1 ? label : $"{label} #{labels.Take(i + 1).Count(l => l == label)}")
            .ToArray();

    private static object Property(PSObject row, int index, string name)
    {
        if (row.Properties[name] is not { } property)
        {
            var present = string.Join(", ", row.Properties.Select(p => p.Name));
            throw new ArgumentException($"Row {index + 1} has no '{name}' property (it has: {present}). Name the column with -Category, -Group or -Value.");
        }
        return property.Value ?? throw new ArgumentException($"Row {index + 1} has no value for '{name}'.");
    }

    private static string Text(PSObject row, int index, string name) =>
        LanguagePrimitives.ConvertTo<string>(Property(row, index, name));

    // Import-Csv gives strings: parse them the same way whatever the user's culture.
    private static double Number(PSObject row, int index, string name)
    {
        var value = Property(row, index, name);
        if (LanguagePrimitives.TryConvertTo<double>(value, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return number;
        throw new ArgumentException($"Row {index + 1} has '{value}' for '{name}', which is not a number.");
    }
}
