namespace Refilled.Engine.Data;

/// <summary>Where a dataset is downloaded from and the folder (under the data root) it ends up in.</summary>
public sealed record DatasetSource(DatasetName Dataset, string BaseUrl, string Folder, IReadOnlyList<DownloadFile> Files)
{
    /// <summary>Overrides the base URL: the same file names, checksums and layout from a mirror.</summary>
    public DatasetSource WithBaseUrl(string? baseUrl) => string.IsNullOrWhiteSpace(baseUrl) ? this : this with { BaseUrl = baseUrl };

    public Uri UrlOf(DownloadFile file) => new(BaseUrl.TrimEnd('/') + "/" + file.FileName);

    /// <summary>Whether <see cref="Official"/> knows where to download <paramref name="name"/> from.</summary>
    public static bool HasOfficial(DatasetName name) => name is DatasetName.Mnist or DatasetName.FashionMnist or DatasetName.Cifar100 or DatasetName.Cub200;

    /// <summary>
    /// The official sources. Each SHA-256 is the widely published checksum of the official file (cross-checked against
    /// several independent projects that verify these downloads); a wrong value would make the download fail, never
    /// pass silently.
    /// </summary>
    public static DatasetSource Official(DatasetName name) => name switch
    {
        // The torchvision S3 copy of Yann LeCun's files (the original site throttles/refuses automated downloads).
        DatasetName.Mnist => new(name, "https://ossci-datasets.s3.amazonaws.com/mnist", "mnist",
        [
            new("train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", false),
            new("train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", false),
            new("t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", false),
            new("t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", false),
        ]),
        // Zalando's host (as torchvision uses it). The hashes are of the decompressed IDX files, as given in issue 22 and
        // checked against Debian's recompressed copies: the .gz bytes differ between copies, their content does not.
        DatasetName.FashionMnist => new(name, "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com", "fashion-mnist",
        [
            new("train-images-idx3-ubyte.gz", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", false, true),
            new("train-labels-idx1-ubyte.gz", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", false, true),
            new("t10k-images-idx3-ubyte.gz", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", false, true),
            new("t10k-labels-idx1-ubyte.gz", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", false, true),
        ]),
        DatasetName.Cifar100 => new(name, "https://www.cs.toronto.edu/~kriz", "cifar-100",
        [
            new("cifar-100-binary.tar.gz", "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec", true),
        ]),
        DatasetName.Cub200 => new(name, "https://data.caltech.edu/records/65de6-vp158/files", "cub-200-2011",
        [
            new("CUB_200_2011.tgz", "0c685df5597a8b24909f6a7c9db6d11e008733779a671760afef78feb49bf081", true),
        ]),
        _ => throw new ArgumentException($"No official download is defined for {name}."),
    };
}
