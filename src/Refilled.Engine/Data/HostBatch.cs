using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Data;

/// <summary>
/// A batch still in managed memory: transformed uint8 pixels and labels. Built on any thread (no tensors), turned into
/// tensors on the consumer's thread so they land in that thread's dispose scope.
/// </summary>
internal sealed class HostBatch(byte[] pixels, long[] labels, long[] indices, long[] imageShape, ChannelNormalisation normalisation,
    HostBatch.Variants? variants = null)
{
    /// <summary>The variant of each image, numbered by <paramref name="Transform"/> for records of <paramref name="Dataset"/>.</summary>
    internal sealed record Variants(ImageDataset Dataset, IFiniteImageTransform Transform, long[] Ids);

    public static HostBatch Prepare(ImageDataset dataset, IReadOnlyList<int> indices, IImageTransform transform, int seed)
    {
        var finite = transform as IFiniteImageTransform;
        var variantIds = finite is null ? null : new long[indices.Count];
        // One generator per image, seeded by (batch seed, position): results do not depend on thread scheduling.
        return Fill(dataset, indices, transform, variantIds, (i, destination) =>
        {
            var random = new Random(SeedSequence.Derive(seed, i));
            if (finite is null)
            {
                transform.Apply(dataset.Image(indices[i]), destination, random);
                return;
            }
            var variant = finite.Draw(random);
            finite.Render(dataset.Image(indices[i]), destination, variant);
            variantIds![i] = variant;
        });
    }

    /// <summary>Given variants of given records, in the order listed; no randomness.</summary>
    public static HostBatch OfVariants(ImageDataset dataset, IFiniteImageTransform transform, IReadOnlyList<(int Index, int Variant)> images) =>
        Fill(dataset, images.Select(image => image.Index).ToArray(), transform, images.Select(image => (long)image.Variant).ToArray(),
            (i, destination) => transform.Render(dataset.Image(images[i].Index), destination, images[i].Variant));

    delegate void ImageWriter(int position, Span<byte> destination);

    /// <summary>
    /// The batch of <paramref name="indices"/> whose images <paramref name="write"/> puts in place, one position at a
    /// time; <paramref name="variantIds"/> (filled by then) says which variant of <paramref name="transform"/> each is.
    /// </summary>
    static HostBatch Fill(ImageDataset dataset, IReadOnlyList<int> indices, IImageTransform transform, long[]? variantIds, ImageWriter write)
    {
        var shape = transform.OutputShape;
        var imageBytes = (int)(shape[0] * shape[1] * shape[2]);
        var pixels = new byte[indices.Count * imageBytes];
        void One(int i) => write(i, pixels.AsSpan(i * imageBytes, imageBytes));
        if (imageBytes >= 64 * 1024) Parallel.For(0, indices.Count, One);
        else for (var i = 0; i < indices.Count; i++) One(i);
        return new HostBatch(pixels, indices.Select(i => (long)dataset.Label(i)).ToArray(), indices.Select(i => (long)i).ToArray(),
            shape, transform.Normalisation,
            variantIds is null ? null : new Variants(dataset, (IFiniteImageTransform)transform, variantIds));
    }

    /// <summary>The transformed images, [N, C, H, W] bytes, before normalisation.</summary>
    public ReadOnlySpan<byte> Pixels => pixels;

    /// <summary>The remapped label of each image.</summary>
    public long[] Labels => labels;

    /// <summary>
    /// The batch on <paramref name="device"/> (the CPU when null). Tensors are staged on the CPU whatever libtorch's
    /// default device; the uint8 pixels cross to the device and become float there (a quarter of the bytes to copy).
    /// </summary>
    public Batch ToTensors(Device? device = null)
    {
        using var bytes = tensor(pixels, [labels.Length, imageShape[0], imageShape[1], imageShape[2]], device: CPU);
        var hostLabels = tensor(labels, device: CPU);
        var hostIndices = tensor(indices, device: CPU);
        var hostVariants = variants is null ? null : tensor(variants.Ids, device: CPU);
        if (device is null || device.type == DeviceType.CPU)
            return new Batch(normalisation.Apply(bytes), hostLabels, hostIndices, VariantsOn(hostVariants));
        using (hostLabels)
        using (hostIndices)
        using (hostVariants)
        using (var deviceBytes = Transfer(bytes, device))
            return new Batch(normalisation.Apply(deviceBytes), Transfer(hostLabels, device), Transfer(hostIndices, device),
                VariantsOn(hostVariants is null ? null : Transfer(hostVariants, device)));
    }

    ImageVariants? VariantsOn(Tensor? ids) => ids is null ? null : new ImageVariants(variants!.Dataset, variants.Transform, ids);

    /// <summary>
    /// A host-to-device copy. To CUDA it goes through page-locked memory and does not block: the caller queues the
    /// forward pass behind it, and libtorch's pinned allocator keeps the staging block until the copy has run.
    /// </summary>
    static Tensor Transfer(Tensor host, Device device)
    {
        if (device.type != DeviceType.CUDA) return host.to(device);
        using var pinned = host.pin_memory();
        return pinned.to(device, non_blocking: true);
    }
}
