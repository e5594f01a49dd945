namespace Refilled.Engine.Checkpoints.Onnx;

/// <summary>
/// The ONNX messages Refilled writes, field by field as onnx/onnx.proto (proto2) numbers them. Only the fields an
/// inference graph of dense float tensors needs; every file written through these is read back by ONNX Runtime in
/// the tests.
/// </summary>
internal static class OnnxProto
{
    /// <summary>IR version 8 (ONNX 1.10+), the one that goes with opset 17.</summary>
    public const long IrVersion = 8;

    /// <summary>The default ("ai.onnx") operator set the graph is written against.</summary>
    public const long OpsetVersion = 17;

    /// <summary>TensorProto.DataType values.</summary>
    public const int Float = 1, Int64 = 7;

    /// <summary>ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8, metadata_props 14.</summary>
    public static ProtoMessage Model(ProtoMessage graph, string producerVersion, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var model = new ProtoMessage()
            .Int64(1, IrVersion)
            .String(2, "Refilled")
            .String(3, producerVersion)
            .Message(7, graph)
            // OperatorSetIdProto: domain 1 (empty: ai.onnx), version 2.
            .Message(8, new ProtoMessage().String(1, "").Int64(2, OpsetVersion));
        // StringStringEntryProto: key 1, value 2.
        foreach (var (key, value) in metadata) model.Message(14, new ProtoMessage().String(1, key).String(2, value));
        return model;
    }

    /// <summary>GraphProto: node 1, name 2, initializer 5, input 11, output 12.</summary>
    public static ProtoMessage Graph(string name, IEnumerable<ProtoMessage> nodes, IEnumerable<ProtoMessage> initializers,
        IEnumerable<ProtoMessage> inputs, IEnumerable<ProtoMessage> outputs)
    {
        var graph = new ProtoMessage();
        foreach (var node in nodes) graph.Message(1, node);
        graph.String(2, name);
        foreach (var initializer in initializers) graph.Message(5, initializer);
        foreach (var input in inputs) graph.Message(11, input);
        foreach (var output in outputs) graph.Message(12, output);
        return graph;
    }

    /// <summary>NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.</summary>
    public static ProtoMessage Node(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, IEnumerable<OnnxAttribute> attributes)
    {
        var node = new ProtoMessage();
        foreach (var input in inputs) node.String(1, input);
        foreach (var output in outputs) node.String(2, output);
        node.String(3, name).String(4, opType);
        foreach (var attribute in attributes) node.Message(5, attribute.ToProto());
        return node;
    }

    /// <summary>TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian values, row-major).</summary>
    public static ProtoMessage Tensor(string name, IEnumerable<long> dims, int dataType, ReadOnlyMemory<byte> littleEndianData)
    {
        var tensor = new ProtoMessage();
        foreach (var dim in dims) tensor.Int64(1, dim);
        return tensor.Int32(2, dataType).String(8, name).Bytes(9, littleEndianData);
    }

    /// <summary>
    /// ValueInfoProto (name 1, type 2) of a float tensor. TypeProto: tensor_type 1; TypeProto.Tensor: elem_type 1, shape 2;
    /// TensorShapeProto: dim 1; Dimension: dim_value 1 or dim_param 2 (a named, dynamic dimension; here a string).
    /// </summary>
    public static ProtoMessage FloatValueInfo(string name, IEnumerable<object> dims)
    {
        var shape = new ProtoMessage();
        foreach (var dim in dims)
            shape.Message(1, dim is string symbolic ? new ProtoMessage().String(2, symbolic) : new ProtoMessage().Int64(1, Convert.ToInt64(dim)));
        var tensorType = new ProtoMessage().Int32(1, Float).Message(2, shape);
        return new ProtoMessage().String(1, name).Message(2, new ProtoMessage().Message(1, tensorType));
    }
}
