namespace Refilled.Engine.Methods;

/// <summary>The two stage-1 relationship losses of the released REFILLED code.</summary>
public enum Stage1Variant
{
    /// <summary>Per-triplet binary KL (the released default, flag_merge = False).</summary>
    Triplet,

    /// <summary>Per-(anchor, positive) softmax over the positive and all its semi-hard negatives (flag_merge = True).</summary>
    Tuple,
}
