namespace Refilled.Engine.Methods;

/// <summary>Which class centres the teacher's local classifier uses in stage 2.</summary>
public enum CentreSource
{
    /// <summary>Class means over the whole training set, computed once from the plain images.</summary>
    Global,
    /// <summary>Class means within each batch (the CVPR paper's description).</summary>
    Local,
    /// <summary>
    /// Class means over the whole training set, computed once from one augmented pass (random crop and flip; on CUB
    /// RandomResizedCrop): the released code, which reads its training loader.
    /// </summary>
    GlobalAugmented,
}
