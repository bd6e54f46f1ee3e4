namespace Tfb.Sparkplug
{
    /// <summary>Sparkplug B topic names: spBv1.0/&lt;group&gt;/&lt;TYPE&gt;/&lt;edge node&gt;[/&lt;device&gt;].</summary>
    /// <remarks>Topics are built once at session start (they allocate); nothing builds them per message.</remarks>
    public static class SparkplugTopic
    {
        /// <summary>The namespace element of every Sparkplug B topic.</summary>
        public const string Namespace = "spBv1.0";

        /// <summary>Node birth.</summary>
        public const string NBirth = "NBIRTH";
        /// <summary>Node death.</summary>
        public const string NDeath = "NDEATH";
        /// <summary>Node data.</summary>
        public const string NData = "NDATA";
        /// <summary>Node command.</summary>
        public const string NCmd = "NCMD";
        /// <summary>Device birth.</summary>
        public const string DBirth = "DBIRTH";
        /// <summary>Device death.</summary>
        public const string DDeath = "DDEATH";
        /// <summary>Device data.</summary>
        public const string DData = "DDATA";
        /// <summary>Device command.</summary>
        public const string DCmd = "DCMD";

        /// <summary>True for a valid group, edge node or device id: non-empty, no '+', '/', '#', no control chars.</summary>
        public static bool IsValidId(string id)
        {
            if (id == null || id.Length == 0)
            {
                return false;
            }

            for (int i = 0; i < id.Length; i++)
            {
                char c = id[i];
                if (c == '+' || c == '/' || c == '#' || c < ' ')
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Builds a node topic (<paramref name="deviceId"/> null) or a device topic.</summary>
        /// <returns>The topic, or null when an id is invalid or the type is not one of the eight message types.</returns>
        public static string Build(string groupId, string messageType, string edgeNodeId, string deviceId)
        {
            if (!IsValidId(groupId) || !IsValidId(edgeNodeId) || !IsMessageType(messageType))
            {
                return null;
            }

            bool deviceType = messageType == DBirth || messageType == DDeath || messageType == DData || messageType == DCmd;
            if (deviceType != (deviceId != null))
            {
                return null;
            }

            if (deviceId == null)
            {
                return Namespace + "/" + groupId + "/" + messageType + "/" + edgeNodeId;
            }

            if (!IsValidId(deviceId))
            {
                return null;
            }

            return Namespace + "/" + groupId + "/" + messageType + "/" + edgeNodeId + "/" + deviceId;
        }

        private static bool IsMessageType(string type)
        {
            return type == NBirth || type == NDeath || type == NData || type == NCmd
                || type == DBirth || type == DDeath || type == DData || type == DCmd;
        }
    }
}
