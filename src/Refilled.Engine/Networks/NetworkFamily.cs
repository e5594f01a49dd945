namespace Refilled.Engine.Networks;

/// <summary>The architectures a <see cref="NetworkSpec"/> can name.</summary>
public enum NetworkFamily
{
    WideResNet,
    CifarResNet,
    MobileNet,
    SmallCnn,
}
