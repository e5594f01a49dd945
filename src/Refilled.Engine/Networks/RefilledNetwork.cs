using Refilled.Engine.Checkpoints.Onnx;
using Refilled.Engine.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Networks;

/// <summary>
/// A classifier split into a backbone that produces the pooled embedding and a linear head (<c>fc</c>).
/// <c>forward(x)</c> returns the logits.
/// </summary>
public abstract class RefilledNetwork : Module<Tensor, Tensor>
{
    protected RefilledNetwork(string name, NetworkSpec spec, int numClasses, int embeddingSize, long[] inputShape)
        : base(name)
    {
        if (numClasses < 1) throw new ArgumentOutOfRangeException(nameof(numClasses), numClasses, "A network needs at least one class.");
        Spec = spec;
        NumClasses = numClasses;
        EmbeddingSize = embeddingSize;
        InputShape = inputShape;
    }

    public NetworkSpec Spec { get; }
    public int NumClasses { get; }
    public int EmbeddingSize { get; }

    /// <summary>The expected input of one sample: channels, height, width.</summary>
    public long[] InputShape { get; }

    /// <summary>Number of trainable scalars (buffers not included).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Where the weights live; every batch and loss of this network is computed there.</summary>
    public DeviceSpec Device => DeviceSpec.Of(parameters().First().device);

    /// <summary>
    /// Moves the weights and buffers to <paramref name="device"/> in place (this same object), after checking that the
    /// device can be used. The parameter objects are replaced: build optimisers after moving.
    /// </summary>
    public RefilledNetwork MoveTo(DeviceSpec device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device == Device) return this;
        device.EnsureAvailable();
        this.to(device.ToTorch());
        return this;
    }

    /// <summary>
    /// Readies this network to guide <paramref name="student"/>: eval mode (BatchNorm on running statistics) and on the
    /// student's device. A teacher is moved, not refused: one teacher may serve students on several devices in turn.
    /// </summary>
    public void ServeAsTeacherOf(RefilledNetwork student)
    {
        eval();
        MoveTo(student.Device);
    }

    /// <summary>Serves as <paramref name="student"/>'s teacher through a frozen copy (the fast forward of a network that does not learn).</summary>
    public FrozenNetwork FreezeAsTeacherOf(RefilledNetwork student, Precision precision)
    {
        ServeAsTeacherOf(student);
        return FrozenNetwork.Of(this, precision);
    }

    /// <summary>The linear head that maps the embedding to logits.</summary>
    protected abstract Linear Classifier { get; }

    /// <summary>The output of each group of the backbone and the pooled embedding, from one forward pass.</summary>
    /// <remarks>In float32 for a float32 network, under <see cref="Autocast"/> too.</remarks>
    public NetworkFeatures Features(Tensor x)
    {
        var features = ComputeFeatures(x);
        return Autocast.IsActive ? new NetworkFeatures([.. features.Groups.Select(Autocast.Leave)], Autocast.Leave(features.Embedding)) : features;
    }

    /// <summary>The forward pass behind <see cref="Features"/>; convolutions go through <see cref="Autocast.Conv"/>.</summary>
    protected abstract NetworkFeatures ComputeFeatures(Tensor x);

    /// <summary>The globally pooled feature vector before the classifier, [N, EmbeddingSize].</summary>
    public Tensor Embed(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Autocast.Leave(ComputeFeatures(x).Embedding).MoveToOuterDisposeScope();
    }

    /// <summary>[C, H, W] of each group output for one <see cref="InputShape"/> input (a probe pass in eval mode).</summary>
    public IReadOnlyList<long[]> GroupShapes()
    {
        var wasTraining = training;
        eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var probe = zeros([1, .. InputShape], device: parameters().First().device);
            return Features(probe).Groups.Select(g => g.shape[1..]).ToList();
        }
        finally
        {
            train(wasTraining);
        }
    }

    /// <summary>
    /// Folds every BatchNorm that directly follows a convolution into it and skips it from then on: for eval-mode
    /// copies that never train (<see cref="FrozenNetwork"/>).
    /// </summary>
    internal abstract void FoldBatchNorm();

    /// <summary>
    /// Appends this network's eval-mode forward pass to <paramref name="graph"/>, from <paramref name="input"/> (the
    /// normalised images) to the outputs named <paramref name="embedding"/> and <paramref name="logits"/>.
    /// </summary>
    internal void WriteOnnx(OnnxGraph graph, string input, string embedding, string logits)
    {
        var pooled = WriteOnnxBackbone(graph, input);
        graph.Linear(graph.Flatten(pooled, embedding), Classifier, logits);
    }

    /// <summary>The backbone of <see cref="ComputeFeatures"/> in eval mode, up to the pooled [N, EmbeddingSize, 1, 1] map.</summary>
    internal abstract string WriteOnnxBackbone(OnnxGraph graph, string input);

    public Tensor Classify(Tensor embedding) => Classifier.call(embedding);

    public override Tensor forward(Tensor x) => Classify(Embed(x));

    public (Tensor Logits, Tensor Embedding) ForwardBoth(Tensor x)
    {
        var embedding = Embed(x);
        return (Classify(embedding), embedding);
    }

    public IEnumerable<Parameter> ClassifierParameters() => Classifier.parameters();

    public IEnumerable<Parameter> BackboneParameters()
    {
        var head = Classifier.parameters().Select(p => p.Handle).ToHashSet();
        return parameters().Where(p => !head.Contains(p.Handle));
    }

    /// <summary>An independent copy: same architecture, weights, buffers, train/eval mode and device.</summary>
    public RefilledNetwork Clone()
    {
        var copy = Blank();
        using (no_grad())
        {
            var source = state_dict();
            foreach (var (name, tensor) in copy.state_dict()) tensor.copy_(source[name]);
        }
        copy.train(training);
        return copy;
    }

    /// <summary>A freshly initialised network of this one's kind and shape, on its device, for <see cref="Clone"/>.</summary>
    protected virtual RefilledNetwork Blank() => Spec.CreateOn(Device, NumClasses, (int)InputShape[2]);

    /// <summary>
    /// PyTorch order: each module's own parameters, then its buffers, then its children, depth first.
    /// TorchSharp's default lists every parameter before any buffer, which breaks key order against the
    /// released checkpoints.
    /// </summary>
    public override Dictionary<string, Tensor> state_dict(Dictionary<string, Tensor>? destination = null, string? prefix = null)
    {
        destination ??= new Dictionary<string, Tensor>();
        AddInPyTorchOrder(this, string.IsNullOrEmpty(prefix) ? "" : prefix + ".", destination);
        return destination;
    }

    static void AddInPyTorchOrder(Module module, string prefix, Dictionary<string, Tensor> destination)
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false)) destination.TryAdd(prefix + name, parameter);
        foreach (var (name, buffer) in module.named_buffers(recurse: false, include_nonpersistent: false)) destination.TryAdd(prefix + name, buffer);
        foreach (var (name, child) in module.named_children()) AddInPyTorchOrder(child, prefix + name + ".", destination);
    }
}
