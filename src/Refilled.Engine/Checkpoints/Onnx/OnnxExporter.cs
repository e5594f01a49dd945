using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Checkpoints.Onnx;

/// <summary>
/// Writes a network as an ONNX inference model (opset 17): input <c>image</c>, float32 [batch, C, H, W] with pixel
/// values in [0, 1] and a dynamic batch dimension; the graph normalises the images itself, then runs the eval-mode
/// forward pass (BatchNorm on running statistics, folded into the convolution it follows where there is one; no
/// dropout). Outputs <c>logits</c> [batch, classes] and <c>embedding</c> [batch, EmbeddingSize] (the pooled features
/// REFILLED matches). The file is written atomically.
/// </summary>
public static class OnnxExporter
{
    public const string InputName = "image";
    public const string LogitsName = "logits";
    public const string EmbeddingName = "embedding";

    /// <summary>The name of the dynamic batch dimension.</summary>
    public const string BatchDimension = "batch";

    public static void Export(RefilledNetwork network, OnnxModelMetadata metadata, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Classes.Length != network.NumClasses)
            throw new ArgumentException($"The metadata lists {metadata.Classes.Length} classes for {network.NumClasses} outputs.", nameof(metadata));
        if (metadata.Normalisation.Mean.Length != network.InputShape[0])
            throw new ArgumentException($"The normalisation has {metadata.Normalisation.Mean.Length} channels; {network.Spec} takes {network.InputShape[0]}.", nameof(metadata));
        AtomicFile.WriteAllBytes(path, ToBytes(network, metadata));
    }

    static byte[] ToBytes(RefilledNetwork network, OnnxModelMetadata metadata)
    {
        var graph = new OnnxGraph();
        using (no_grad()) network.WriteOnnx(graph, graph.Normalise(InputName, metadata.Normalisation), EmbeddingName, LogitsName);
        var proto = OnnxProto.Graph(network.Spec.ToString(), graph.Nodes, graph.Initializers,
            [OnnxProto.FloatValueInfo(InputName, [BatchDimension, .. network.InputShape.Cast<object>()])],
            [OnnxProto.FloatValueInfo(LogitsName, [BatchDimension, (long)network.NumClasses]),
             OnnxProto.FloatValueInfo(EmbeddingName, [BatchDimension, (long)network.EmbeddingSize])]);
        var version = typeof(OnnxExporter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        return OnnxProto.Model(proto, version, metadata.ToProperties()).ToArray();
    }
}
