namespace Tfb.Sparkplug
{
    /// <summary>Field numbers of sparkplug_b.proto (Sparkplug B 3.0, proto2), one place for encoder and decoder.</summary>
    public static class SparkplugFields
    {
        /// <summary>Payload.timestamp (uint64, ms UTC).</summary>
        public const int PayloadTimestamp = 1;
        /// <summary>Payload.metrics (repeated Metric).</summary>
        public const int PayloadMetrics = 2;
        /// <summary>Payload.seq (uint64, 0-255).</summary>
        public const int PayloadSeq = 3;
        /// <summary>Payload.uuid (string).</summary>
        public const int PayloadUuid = 4;
        /// <summary>Payload.body (bytes).</summary>
        public const int PayloadBody = 5;

        /// <summary>Metric.name (string).</summary>
        public const int MetricName = 1;
        /// <summary>Metric.alias (uint64).</summary>
        public const int MetricAlias = 2;
        /// <summary>Metric.timestamp (uint64, ms UTC).</summary>
        public const int MetricTimestamp = 3;
        /// <summary>Metric.datatype (uint32).</summary>
        public const int MetricDatatype = 4;
        /// <summary>Metric.is_historical (bool).</summary>
        public const int MetricIsHistorical = 5;
        /// <summary>Metric.is_transient (bool).</summary>
        public const int MetricIsTransient = 6;
        /// <summary>Metric.is_null (bool).</summary>
        public const int MetricIsNull = 7;
        /// <summary>Metric.metadata (MetaData).</summary>
        public const int MetricMetadata = 8;
        /// <summary>Metric.properties (PropertySet).</summary>
        public const int MetricProperties = 9;
        /// <summary>Metric.int_value (uint32).</summary>
        public const int MetricIntValue = 10;
        /// <summary>Metric.long_value (uint64).</summary>
        public const int MetricLongValue = 11;
        /// <summary>Metric.float_value (float).</summary>
        public const int MetricFloatValue = 12;
        /// <summary>Metric.double_value (double).</summary>
        public const int MetricDoubleValue = 13;
        /// <summary>Metric.boolean_value (bool).</summary>
        public const int MetricBooleanValue = 14;
        /// <summary>Metric.string_value (string).</summary>
        public const int MetricStringValue = 15;
        /// <summary>Metric.bytes_value (bytes).</summary>
        public const int MetricBytesValue = 16;
        /// <summary>Metric.dataset_value (DataSet).</summary>
        public const int MetricDataSetValue = 17;
        /// <summary>Metric.template_value (Template).</summary>
        public const int MetricTemplateValue = 18;
        /// <summary>Metric.extension_value (MetricValueExtension).</summary>
        public const int MetricExtensionValue = 19;

        /// <summary>PropertySet.keys (repeated string).</summary>
        public const int PropertySetKeys = 1;
        /// <summary>PropertySet.values (repeated PropertyValue).</summary>
        public const int PropertySetValues = 2;

        /// <summary>PropertyValue.type (uint32).</summary>
        public const int PropertyValueType = 1;
        /// <summary>PropertyValue.is_null (bool).</summary>
        public const int PropertyValueIsNull = 2;
        /// <summary>PropertyValue.int_value (uint32).</summary>
        public const int PropertyValueInt = 3;
        /// <summary>PropertyValue.long_value (uint64).</summary>
        public const int PropertyValueLong = 4;
        /// <summary>PropertyValue.float_value (float).</summary>
        public const int PropertyValueFloat = 5;
        /// <summary>PropertyValue.double_value (double).</summary>
        public const int PropertyValueDouble = 6;
        /// <summary>PropertyValue.boolean_value (bool).</summary>
        public const int PropertyValueBoolean = 7;
        /// <summary>PropertyValue.string_value (string).</summary>
        public const int PropertyValueString = 8;
        /// <summary>PropertyValue.propertyset_value (PropertySet).</summary>
        public const int PropertyValuePropertySet = 9;
        /// <summary>PropertyValue.propertysets_value (PropertySetList).</summary>
        public const int PropertyValuePropertySets = 10;

        /// <summary>PropertySetList.propertyset (repeated PropertySet).</summary>
        public const int PropertySetListSets = 1;
    }
}
