using Microsoft.ML.OnnxRuntime;

namespace Refilled.Engine.Checkpoints.Onnx;

/// <summary>
/// An exported model loaded in ONNX Runtime (CPU), as it runs once deployed: images in [0, 1] in, logits and
/// embeddings out. Reads the metadata <see cref="OnnxExporter"/> wrote.
/// </summary>
public sealed class OnnxClassifier : IDisposable
{
    readonly InferenceSession session;
    readonly RunOptions runOptions = new();

    OnnxClassifier(InferenceSession session, OnnxModelMetadata metadata, long[] inputShape, int numClasses, int embeddingSize)
    {
        this.session = session;
        Metadata = metadata;
        InputShape = inputShape;
        NumClasses = numClasses;
        EmbeddingSize = embeddingSize;
    }

    public OnnxModelMetadata Metadata { get; }

    /// <summary>One image's shape: channels, height, width.</summary>
    public long[] InputShape { get; }
    public int NumClasses { get; }
    public int EmbeddingSize { get; }

    /// <param name="threads">ONNX Runtime's intra-op threads (one inference at a time, so no inter-op pool).</param>
    public static OnnxClassifier Load(string path, int threads = 2)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX model '{path}' does not exist.", path);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new CheckpointFormatException(path, "ONNX Runtime cannot load it: " + e.Message, e);
        }
        try
        {
            var metadata = OnnxModelMetadata.Parse(session.ModelMetadata.CustomMetadataMap, path);
            var input = Dimensions(session.InputMetadata, OnnxExporter.InputName, path);
            var logits = Dimensions(session.OutputMetadata, OnnxExporter.LogitsName, path);
            var embedding = Dimensions(session.OutputMetadata, OnnxExporter.EmbeddingName, path);
            if (input.Length != 4 || input[1..].Any(d => d < 1) || logits.Length != 2 || embedding.Length != 2)
                throw new CheckpointFormatException(path, $"'{OnnxExporter.InputName}' is not [batch, C, H, W] or an output is not [batch, n]");
            if (logits[1] != metadata.Classes.Length)
                throw new CheckpointFormatException(path, $"it has {logits[1]} logits for {metadata.Classes.Length} classes in its metadata");
            if (metadata.Normalisation.Mean.Length != input[1])
                throw new CheckpointFormatException(path, $"its normalisation has {metadata.Normalisation.Mean.Length} channels for {input[1]}-channel images");
            return new OnnxClassifier(session, metadata, [.. input[1..].Select(d => (long)d)], logits[1], embedding[1]);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Logits [count, NumClasses] and embeddings [count, EmbeddingSize], row-major, of <paramref name="count"/> images.</summary>
    /// <param name="images">[count, C, H, W] float32 pixels in [0, 1], row-major.</param>
    public (float[] Logits, float[] Embeddings) Run(float[] images, int count)
    {
        ArgumentNullException.ThrowIfNull(images);
        long[] shape = [count, .. InputShape];
        if (images.LongLength != shape.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"{images.Length} values are not {count} images of {string.Join("×", InputShape)}.", nameof(images));
        using var input = OrtValue.CreateTensorValueFromMemory(images, shape);
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.LogitsName, OnnxExporter.EmbeddingName]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[1].GetTensorDataAsSpan<float>().ToArray());
    }

    static int[] Dimensions(IReadOnlyDictionary<string, NodeMetadata> values, string name, string path) =>
        values.TryGetValue(name, out var value)
            ? value.Dimensions
            : throw new CheckpointFormatException(path, $"the graph has no '{name}' input or output (not exported by Refilled?)");

    public void Dispose()
    {
        runOptions.Dispose();
        session.Dispose();
    }
}
