using System.Globalization;
using System.Management.Automation;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Experiments;

namespace Refilled.PowerShell.Commands;

/// <summary>
/// Each method against a reference method over runs paired by seed (and K): the mean difference of test accuracy in
/// points and its 95 % Student-t interval, with the verdict the interval supports.
/// </summary>
[Cmdlet(VerbsData.Compare, "RefilledResult")]
[OutputType(typeof(PairedDifference))]
public sealed class CompareRefilledResultCommand : RefilledCmdlet
{
    private readonly List<ComparedResult> rows = new();
    private readonly List<RunRecord> runs = new();

    /// <summary>Get-RefilledRun records, or any object with Method, Seed, Accuracy and optionally K properties.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject InputObject { get; set; } = null!;

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = "Scratch";

    protected override object? ErrorTarget => InputObject;

    protected override void Process()
    {
        if (InputObject.BaseObject is RunRecord run) runs.Add(run);
        else rows.Add(Read(InputObject));
    }

    protected override void End()
    {
        var unfinished = runs.Where(r => r.Compared is null).Select(r => $"{r.Experiment}/{r.RunId} ({r.Status})").ToList();
        if (unfinished.Count > 0)
            WriteWarning($"Left out {unfinished.Count} run(s) without a test accuracy: {string.Join(", ", unfinished)}.");
        var results = rows.Concat(RunRecord.ToCompared(runs)).ToList();
        IReadOnlyList<PairedDifference> comparisons = [];
        try
        {
            comparisons = PairedComparison.Compare(results, Reference);
        }
        catch (PairingException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "Refilled." + e.Problem, ErrorCategory.InvalidData, e.Method));
        }
        var unpaired = PairedComparison.Unpaired(results, Reference);
        if (unpaired.Count > 0)
            WriteWarning($"{unpaired.Count} run(s) have no partner with the same seed and K, left out: " +
                         string.Join(", ", unpaired.Select(r => $"{r.Method} seed {r.Seed}{(r.K is int k ? $" K={k}" : "")}")) + ".");
        foreach (var comparison in comparisons) WriteObject(comparison);
    }

    /// <summary>A result row by property name; Import-Csv's strings are read in the invariant culture.</summary>
    private static ComparedResult Read(PSObject row)
    {
        var method = LanguagePrimitives.ConvertTo<string>(Required(row, "Method"));
        var seed = Number<int>(row, "Seed", Required(row, "Seed"));
        var k = Optional(row, "K") ?? Optional(row, "SamplesPerClass");
        return new ComparedResult(method, seed, k is null ? null : Number<int>(row, "K", k), Number<double>(row, "Accuracy", Required(row, "Accuracy")));
    }

    private static object? Optional(PSObject row, string name) =>
        row.Properties[name]?.Value is { } value && !(value is string text && string.IsNullOrWhiteSpace(text)) ? value : null;

    private static object Required(PSObject row, string name)
    {
        if (Optional(row, name) is { } value) return value;
        Fail($"A result has no {name} (it has: {string.Join(", ", row.Properties.Select(p => p.Name))}); every result needs Method, " +
             "Seed and Accuracy (a fraction), and K where the runs differ in it.", "MissingProperty", ErrorCategory.InvalidData, row);
        return null!;
    }

    private static T Number<T>(PSObject row, string name, object value)
    {
        if (LanguagePrimitives.TryConvertTo<T>(value, CultureInfo.InvariantCulture, out var number) && (number is not double d || double.IsFinite(d)))
            return number;
        Fail($"A result has '{value}' for {name}, which is not {(typeof(T) == typeof(int) ? "an integer" : "a number")}.",
            "InvalidResult", ErrorCategory.InvalidData, row);
        return default!;
    }
}
