namespace Refilled.Engine.Data;

/// <summary>The datasets the engine can read.</summary>
public enum DatasetName { Mnist, FashionMnist, Cifar10, Cifar100, Cub200, ImageFolder }
