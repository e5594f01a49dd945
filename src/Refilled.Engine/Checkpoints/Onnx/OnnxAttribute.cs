namespace Refilled.Engine.Checkpoints.Onnx;

/// <summary>
/// A node attribute. AttributeProto: name 1, f 2, i 3, ints 8 (unpacked, as proto2 declares it), type 20 with
/// AttributeType FLOAT 1, INT 2, INTS 7.
/// </summary>
internal abstract record OnnxAttribute(string Name)
{
    public abstract ProtoMessage ToProto();

    public static OnnxAttribute Of(string name, long value) => new IntAttribute(name, value);
    public static OnnxAttribute Of(string name, float value) => new FloatAttribute(name, value);
    public static OnnxAttribute Of(string name, IEnumerable<long> values) => new IntsAttribute(name, [.. values]);

    sealed record IntAttribute(string Name, long Value) : OnnxAttribute(Name)
    {
        public override ProtoMessage ToProto() => new ProtoMessage().String(1, Name).Int64(3, Value).Int32(20, 2);
    }

    sealed record FloatAttribute(string Name, float Value) : OnnxAttribute(Name)
    {
        public override ProtoMessage ToProto() => new ProtoMessage().String(1, Name).Float(2, Value).Int32(20, 1);
    }

    sealed record IntsAttribute(string Name, long[] Values) : OnnxAttribute(Name)
    {
        public override ProtoMessage ToProto()
        {
            var proto = new ProtoMessage().String(1, Name);
            foreach (var value in Values) proto.Int64(8, value);
            return proto.Int32(20, 7);
        }
    }
}
