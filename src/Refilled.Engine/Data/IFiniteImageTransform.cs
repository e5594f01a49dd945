namespace Refilled.Engine.Data;

/// <summary>
/// A transform with a small, numbered set of outcomes (an integer shift and flip, a fixed crop): what it does to an
/// image is one of <see cref="VariantCount"/> variants. Knowing which one a batch image got lets a frozen teacher's
/// output for that variant be computed once and looked up (<see cref="Training.TeacherEmbeddingTable"/>).
/// </summary>
public interface IFiniteImageTransform : IImageTransform
{
    int VariantCount { get; }

    /// <summary>Draws a variant, with exactly the random numbers <see cref="IImageTransform.Apply"/> draws.</summary>
    int Draw(Random random);

    /// <summary>Writes variant <paramref name="variant"/> of <paramref name="source"/>: Apply is Render(Draw).</summary>
    void Render(in StoredImage source, Span<byte> destination, int variant);
}
