namespace Refilled.Engine.Data;

/// <summary>Zalando's Fashion-MNIST: MNIST's IDX layout (60,000 train + 10,000 test 28×28 images) with ten kinds of clothing.</summary>
public static class FashionMnist
{
    /// <summary>The class names by label id, as the dataset's README lists them.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
}
