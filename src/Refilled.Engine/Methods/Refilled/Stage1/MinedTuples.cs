using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// Triplets grouped by (anchor, positive), as the released "merge" branch does: one row per distinct pair in
/// triplet order, with all of that pair's negatives right-padded with index 0 to the longest row.
/// </summary>
public sealed class MinedTuples : IDisposable
{
    MinedTuples(Tensor anchors, Tensor positives, Tensor negatives, Tensor mask)
    {
        Anchors = anchors;
        Positives = positives;
        Negatives = negatives;
        Mask = mask;
    }

    /// <summary>[R] int64.</summary>
    public Tensor Anchors { get; }
    /// <summary>[R] int64.</summary>
    public Tensor Positives { get; }
    /// <summary>[R, Width] int64; padded slots hold 0.</summary>
    public Tensor Negatives { get; }
    /// <summary>[R, Width] bool; true for a real negative.</summary>
    public Tensor Mask { get; }

    /// <summary>Number of tuples R.</summary>
    public long Count => Anchors.shape[0];

    /// <summary>Length of the longest row of negatives.</summary>
    public long Width => Negatives.shape[1];

    /// <summary>Groups lexicographically ordered triplets (as the miner returns them) without a per-triplet loop.</summary>
    public static MinedTuples Merge(MinedTriplets triplets)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var a = triplets.Anchors;
        var p = triplets.Positives;
        var t = triplets.Count;
        var device = a.device;
        if (t == 0)
        {
            var empty = new MinedTuples(
                zeros(0, ScalarType.Int64, device), zeros(0, ScalarType.Int64, device),
                zeros(0, 0, ScalarType.Int64, device), zeros(0, 0, ScalarType.Bool, device));
            scope.MoveToOuter(empty.Anchors, empty.Positives, empty.Negatives, empty.Mask);
            return empty;
        }

        // A row starts wherever (a, p) changes; the miner's order keeps each pair's triplets contiguous.
        var starts = ones(t, ScalarType.Bool, device);
        if (t > 1)
            starts[TensorIndex.Slice(1)] = a.slice(0, 1, t, 1).ne(a.slice(0, 0, t - 1, 1))
                .logical_or(p.slice(0, 1, t, 1).ne(p.slice(0, 0, t - 1, 1)));
        var row = starts.cumsum(0, ScalarType.Int64) - 1;                 // [T] row of each triplet
        var startPositions = starts.nonzero().squeeze(1);                  // [R] first triplet of each row
        var slot = arange(t, ScalarType.Int64, device) - startPositions.index_select(0, row);
        var rows = startPositions.shape[0];
        var width = slot.max().item<long>() + 1;

        var flat = row * width + slot;
        var negatives = zeros(rows * width, ScalarType.Int64, device).index_put_(triplets.Negatives, flat).view(rows, width);
        var mask = zeros(rows * width, ScalarType.Bool, device).index_put_(ones(t, ScalarType.Bool, device), flat).view(rows, width);
        var result = new MinedTuples(a.index_select(0, startPositions), p.index_select(0, startPositions), negatives, mask);
        scope.MoveToOuter(result.Anchors, result.Positives, result.Negatives, result.Mask);
        return result;
    }

    public void Dispose()
    {
        Anchors.Dispose();
        Positives.Dispose();
        Negatives.Dispose();
        Mask.Dispose();
    }
}
