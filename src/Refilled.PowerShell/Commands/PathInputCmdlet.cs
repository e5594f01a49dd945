using System.Management.Automation;

namespace Refilled.PowerShell.Commands;

/// <summary>
/// Cmdlets that read what -Path names, the PowerShell way: -Path expands wildcards (./runs/*.refilled) and takes strings
/// from the pipeline; -LiteralPath takes a name as typed and binds Get-ChildItem's output (PSPath, FullName). Each
/// resolved path is one item: with <see cref="RefilledCmdlet.PerItemErrors"/> a bad one is reported and the next read.
/// </summary>
public abstract class PathInputCmdlet : RefilledCmdlet
{
    protected const string PathSet = "Path", LiteralPathSet = "LiteralPath";
    string? current;
    readonly HashSet<string> outputs = [];

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    public string LiteralPath { get; set; } = "";

    /// <summary>The path being read (resolved), or as the user gave it before resolution.</summary>
    protected override object? ErrorTarget => current ?? (ParameterSetName == LiteralPathSet ? LiteralPath : Path);

    protected sealed override void Process()
    {
        current = null;
        foreach (var path in InputPaths())
        {
            current = path;
            Process(path);
        }
    }

    /// <summary>
    /// Refuses to write <paramref name="output"/> for a second input of this invocation: a pattern matching several
    /// inputs with one -OutputPath would otherwise replace the first one's output with the next.
    /// </summary>
    protected void ClaimOutput(string output)
    {
        if (!outputs.Add(output))
            Fail($"'{output}' is already written for an earlier input of this command: give each input its own output (leave -OutputPath out).",
                "OutputPathShared", ErrorCategory.InvalidArgument, output);
    }

    /// <summary>The work for one resolved file-system path (it need not exist: the cmdlet says what is missing).</summary>
    protected abstract void Process(string path);

    IReadOnlyList<string> InputPaths()
    {
        if (ParameterSetName == LiteralPathSet) return [ResolvePath(LiteralPath)];
        if (!WildcardPattern.ContainsWildcardCharacters(Path)) return [ResolvePath(Path)];
        try
        {
            var matches = SessionState.Path.GetResolvedProviderPathFromPSPath(Path, out _);
            if (matches.Count > 0) return [.. matches];
        }
        catch (ItemNotFoundException)
        {
        }
        throw new FileNotFoundException($"Nothing matches '{Path}'.", Path);
    }
}
