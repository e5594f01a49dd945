using Refilled.Engine.Checkpoints;
using Refilled.Engine.Checkpoints.Onnx;
using Refilled.Engine.Data;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Networks;
using Refilled.Engine.Tests.Networks;
using Refilled.Engine.Tests.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Checkpoints;

/// <summary>Every exported graph is read back by ONNX Runtime and must compute what the TorchSharp network computes.</summary>
public sealed class OnnxExportTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("refilled-onnx-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    const float Tolerance = 1e-4f;

    public static TheoryData<string, int> Architectures => new()
    {
        { "wrn-16-1", 32 }, { "wrn-16-2", 32 }, { "resnet-20", 32 }, { "resnet-8", 32 }, { "mobilenet-0.25", 64 }, { "mobilenet-0.5", 32 },
        { "smallcnn", 28 }, { "smallcnn-16", 28 },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void OnnxRuntimeComputesTheEvalForwardOnRandomAndStructuredImages(string arch, int imageSize)
    {
        var seed = Random.Shared.Next();
        manual_seed(seed);
        using var scope = NewDisposeScope();
        using var net = FrozenNetworkTests.RandomisedNetwork(arch, imageSize);
        // 64 px is no catalog dataset's size: those images would be photographs; 28 px grayscale could be MNIST or Fashion-MNIST.
        var normalisation = DatasetCatalog.NormalisationFor(net.InputShape)
            ?? (net.InputShape[0] == 1 ? ChannelNormalisation.Mnist : ChannelNormalisation.ImageNet);
        var path = Export(net, normalisation);

        using var onnx = OnnxClassifier.Load(path);
        Assert.Equal(net.InputShape, onnx.InputShape);
        Assert.Equal(net.EmbeddingSize, onnx.EmbeddingSize);
        // Uniform noise, then images with structure (smooth blobs and edges, the statistics of photographs and digits).
        AssertSameOutputs(net, onnx, normalisation, rand(5, net.InputShape[0], imageSize, imageSize), $"{arch} random (seed {seed})");
        AssertSameOutputs(net, onnx, normalisation, StructuredImages(3, net.InputShape), $"{arch} structured (seed {seed})");
        // The batch dimension is dynamic.
        AssertSameOutputs(net, onnx, normalisation, rand(1, net.InputShape[0], imageSize, imageSize), $"{arch} batch of 1 (seed {seed})");
    }

    [Fact]
    public void DigitsGiveTheSameOutputsAsTheTrainedPipeline()
    {
        using var scope = NewDisposeScope();
        using var net = FrozenNetworkTests.RandomisedNetwork("smallcnn-16", 28, classes: 4);
        var digits = ToyDigits.Create(4, 8, seed: 3, DatasetSplit.Test);
        var path = Export(net, digits.TestTransform.Normalisation);
        using var onnx = OnnxClassifier.Load(path);
        var bytes = digits.GetBatch(Enumerable.Range(0, digits.Count).ToArray(), augment: false, seed: 0);
        // The loader's normalised batch, undone to [0, 1] pixels the way a deployed caller has them.
        var pixels = (bytes.Images * tensor(0.3081f) + 0.1307f).clamp(0, 1);
        AssertSameOutputs(net, onnx, digits.TestTransform.Normalisation, pixels, "toy digits");
    }

    [Fact]
    public void TheExportedModelMeasuresAsTheModelItCameFrom()
    {
        manual_seed(Random.Shared.Next());
        using var net = FrozenNetworkTests.RandomisedNetwork("smallcnn-16", 28, classes: 4);
        var train = ToyDigits.Create(4, 10, seed: 5);
        var test = ToyDigits.Create(4, 12, seed: 6, DatasetSplit.Test);
        using var onnx = OnnxClassifier.Load(Export(net, test.TestTransform.Normalisation));

        var expected = ModelEvaluator.Measure(net, test, true, batchSize: 16, reference: train);
        var measured = ModelEvaluator.Measure(onnx, test, true, batchSize: 16, reference: train);
        Assert.Equal(expected.Accuracy, measured.Accuracy);
        Assert.Equal(expected.PerClassAccuracy, measured.PerClassAccuracy);
        Assert.Equal(expected.NcmAccuracy, measured.NcmAccuracy);
        Assert.Equal(expected.NcmTransductive, measured.NcmTransductive);
        Assert.Equal(test.Count, measured.Samples);
    }

    [Fact]
    public void MeasuringOnDataWithAnotherNormalisationIsRefused()
    {
        using var net = NetworkSpec.Parse("smallcnn-16").Create(4, 28);
        using var onnx = OnnxClassifier.Load(Export(net, new ChannelNormalisation([0.5f], [0.5f])));
        var e = Assert.Throws<ArgumentException>(() => ModelEvaluator.Measure(onnx, ToyDigits.Create(4, 2, seed: 1, DatasetSplit.Test), true));
        Assert.Contains("normalises", e.Message);
    }

    [Fact]
    public void ReleasedPyTorchCheckpointsExportWithTheirPyTorchOutputs()
    {
        // The authors' checkpoint format (a WRN, a CIFAR ResNet and a MobileNet saved by PyTorch), through the importer,
        // to ONNX: each graph reproduces PyTorch's own numbers.
        foreach (var golden in GoldenNetCase.All()) ExportsWithItsPyTorchOutputs(golden);
    }

    void ExportsWithItsPyTorchOutputs(GoldenNetCase golden)
    {
        using var scope = NewDisposeScope();
        using var net = PyTorchCheckpointImporter.Load(golden.ModelFile, golden.Spec, imageSize: golden.ImageSize);
        var channels = (int)net.InputShape[0];
        // The golden input is already normalised: an identity normalisation feeds it through unchanged.
        var identity = new ChannelNormalisation(new float[channels], Enumerable.Repeat(1f, channels).ToArray());
        using var onnx = OnnxClassifier.Load(Export(net, identity));
        var input = golden.Input();
        var (logits, embedding) = Run(onnx, input);
        GoldenNetTests.AssertClose(golden.Expected("logits_f32"), logits, $"{golden.Name}: ONNX logits");
        GoldenNetTests.AssertClose(golden.Expected("embedding_f32"), embedding, $"{golden.Name}: ONNX embedding");
        AssertSameOutputs(net, onnx, identity, input, golden.Name);
    }

    [Fact]
    public void MetadataCarriesClassesNamesAndNormalisation()
    {
        using var net = NetworkSpec.Parse("smallcnn-16").Create(3, 28);
        var metadata = new OnnxModelMetadata("smallcnn-16", [7, 2, 5], ["seven", "two, or 2", "fünf"], ChannelNormalisation.Mnist);
        var path = Path.Combine(dir, "named.onnx");
        OnnxExporter.Export(net, metadata, path);

        using var onnx = OnnxClassifier.Load(path);
        Assert.Equal(metadata.Architecture, onnx.Metadata.Architecture);
        Assert.Equal(metadata.Classes, onnx.Metadata.Classes);
        Assert.Equal(metadata.ClassNames, onnx.Metadata.ClassNames);
        Assert.Equal(ChannelNormalisation.Mnist.Mean, onnx.Metadata.Normalisation.Mean);
        Assert.Equal(ChannelNormalisation.Mnist.Std, onnx.Metadata.Normalisation.Std);
        Assert.Equal(3, onnx.NumClasses);
        // Written atomically: no temporary file is left beside it.
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void ClassListMustMatchTheOutputs()
    {
        using var net = NetworkSpec.Parse("smallcnn-16").Create(3, 28);
        var path = Path.Combine(dir, "wrong.onnx");
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(net, new OnnxModelMetadata("smallcnn-16", [0, 1], null, ChannelNormalisation.Mnist), path));
        Assert.Throws<ArgumentException>(() => OnnxExporter.Export(net, new OnnxModelMetadata("smallcnn-16", [0, 1, 2], null, ChannelNormalisation.Cifar), path));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void NonOnnxFilesAreRefusedAsCheckpointFormatErrors()
    {
        var garbage = Path.Combine(dir, "garbage.onnx");
        File.WriteAllBytes(garbage, [0x08, 0x07, 0x12, 0xff, 0x01, 0x02]);
        var e = Assert.Throws<CheckpointFormatException>(() => OnnxClassifier.Load(garbage));
        Assert.Equal(Path.GetFullPath(garbage), e.Path);

        // A Refilled export whose file was cut short.
        using var net = NetworkSpec.Parse("smallcnn-16").Create(3, 28);
        var whole = Export(net, ChannelNormalisation.Mnist);
        var truncated = Path.Combine(dir, "truncated.onnx");
        File.WriteAllBytes(truncated, File.ReadAllBytes(whole)[..^100]);
        Assert.Throws<CheckpointFormatException>(() => OnnxClassifier.Load(truncated));
    }

    [Fact]
    public void NormalisationIsKnownForEveryCatalogShapeThatOneNormalisationOwns()
    {
        // MNIST and Fashion-MNIST share 1×28×28 but not their statistics: the caller must say which.
        Assert.NotEqual(ChannelNormalisation.Mnist.Mean, DatasetCatalog.Transforms(DatasetName.FashionMnist).Test.Normalisation!.Mean);
        Assert.Null(DatasetCatalog.NormalisationFor([1, 28, 28]));
        Assert.Same(ChannelNormalisation.Cifar, DatasetCatalog.NormalisationFor([3, 32, 32]));
        Assert.Same(ChannelNormalisation.ImageNet, DatasetCatalog.NormalisationFor([3, 224, 224]));
        Assert.Null(DatasetCatalog.NormalisationFor([3, 64, 64]));
    }

    string Export(RefilledNetwork net, ChannelNormalisation normalisation)
    {
        var path = Path.Combine(dir, $"{net.Spec}-{Guid.NewGuid():N}.onnx");
        OnnxExporter.Export(net, new OnnxModelMetadata(net.Spec.ToString(), [.. Enumerable.Range(0, net.NumClasses)], null, normalisation), path);
        return path;
    }

    /// <summary>Smooth random fields plus a bright rectangle with hard edges, in [0, 1].</summary>
    static Tensor StructuredImages(int count, long[] shape)
    {
        var (c, h, w) = (shape[0], shape[1], shape[2]);
        var smooth = nn.functional.interpolate(rand(count, c, 4, 4), [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
        var images = smooth.clone();
        images.index_put_(0.95f, TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(h / 3, 2 * h / 3), TensorIndex.Slice(w / 4, w / 2));
        return images.clamp(0, 1);
    }

    static (Tensor Logits, Tensor Embedding) Run(OnnxClassifier onnx, Tensor pixels)
    {
        var count = (int)pixels.shape[0];
        var (logits, embedding) = onnx.Run(pixels.contiguous().data<float>().ToArray(), count);
        return (tensor(logits, [count, onnx.NumClasses]), tensor(embedding, [count, onnx.EmbeddingSize]));
    }

    static void AssertSameOutputs(RefilledNetwork net, OnnxClassifier onnx, ChannelNormalisation normalisation, Tensor pixels, string what)
    {
        var c = normalisation.Mean.Length;
        Tensor logits, embedding;
        using (no_grad())
        {
            var normalised = (pixels - tensor(normalisation.Mean, [1, c, 1, 1])) / tensor(normalisation.Std, [1, c, 1, 1]);
            (logits, embedding) = net.ForwardBoth(normalised);
        }
        var (onnxLogits, onnxEmbedding) = Run(onnx, pixels);
        var logitsDiff = (onnxLogits - logits).abs().max().item<float>();
        var embeddingDiff = (onnxEmbedding - embedding).abs().max().item<float>();
        Assert.True(logitsDiff <= Tolerance, $"{what}: logits differ by {logitsDiff} (largest logit {logits.abs().max().item<float>()})");
        Assert.True(embeddingDiff <= Tolerance, $"{what}: embeddings differ by {embeddingDiff}");
        Assert.Equal(logits.argmax(1).data<long>().ToArray(), onnxLogits.argmax(1).data<long>().ToArray());
    }
}
