namespace Refilled.Engine.Networks;

/// <summary>
/// How feature distillers pair a student's group outputs with a teacher's (<see cref="RefilledNetwork.GroupShapes"/>,
/// each [C, H, W]): by spatial size; channels may differ (a regressor or a channel mean bridges them).
/// </summary>
public static class GroupPairing
{
    public static bool SameSpatialSize(long[] a, long[] b) => a[1] == b[1] && a[2] == b[2];

    /// <summary>Whether the groups pair one to one (attention transfer).</summary>
    public static bool AllPair(IReadOnlyList<long[]> student, IReadOnlyList<long[]> teacher) =>
        student.Count == teacher.Count && student.Zip(teacher).All(p => SameSpatialSize(p.First, p.Second));

    /// <summary>The middle group of <paramref name="count"/>: FitNet's default guided and hint group, as the paper's middle layer.</summary>
    public static int Middle(int count) => count / 2;

    /// <summary>The spatial sizes, as "32×32, 16×16, 8×8".</summary>
    public static string Describe(IEnumerable<long[]> shapes) => string.Join(", ", shapes.Select(s => $"{s[1]}×{s[2]}"));
}
