namespace Refilled.Engine.Data;

/// <summary>A dataset asked for by name is not in its folder under the data root; the message says how to get it.</summary>
public sealed class DatasetNotFoundException(DatasetName dataset, string folder) : DirectoryNotFoundException(
    $"{dataset} is not in the data root: '{folder}' does not exist. " +
    (DatasetSource.HasOfficial(dataset)
        ? $"Run 'Save-RefilledDataset {dataset}' to download it there ({DatasetCatalog.DataRootVariable} moves the data root), or pass -Path with the folder that holds it."
        : $"Put the {dataset} files there, or pass -Path with the folder that holds them."))
{
    public DatasetName Dataset { get; } = dataset;
    public string Folder { get; } = folder;
}
