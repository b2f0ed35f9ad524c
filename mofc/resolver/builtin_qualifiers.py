"""Data: built-in qualifier declarations, used when a MOF uses a standard qualifier undeclared.

Each row is ``(name, type, default, scopes, flavors)``: ``type`` ends in ``[]`` for arrays;
``scopes`` and ``flavors`` are space-separated words; an empty ``flavors`` means the DSP0004
defaults (EnableOverride, ToSubclass). A type of ``None`` means "any": the type of each use is
taken from its value, with no warning (for WMI qualifiers whose values vary, such as ``Locale``).

DMTF rows follow the declarations of the CIM Schema 2.49 ``qualifiers.mof`` and
``qualifiers_optional.mof`` (DSP0004). WMI rows follow the standard WMI qualifiers
(wmi-dialect.md 4.3: WMI SDK, driver, Configuration Manager and DSC qualifiers); where the
documentation gives no type or scope, the rows use what real files need.
"""

from __future__ import annotations

Row = tuple[str, "str | None", object, str, str]

_PROP_METH_PARAM = "property method parameter"
_CLASSES = "class association indication"

DMTF_QUALIFIERS: tuple[Row, ...] = (
    # meta qualifiers
    ("Association", "boolean", False, "association", "DisableOverride ToSubclass"),
    ("Indication", "boolean", False, "class indication", "DisableOverride ToSubclass"),
    # standard qualifiers
    ("Abstract", "boolean", False, _CLASSES, "EnableOverride Restricted"),
    ("Aggregate", "boolean", False, "reference", "DisableOverride ToSubclass"),
    ("Aggregation", "boolean", False, "association", "DisableOverride ToSubclass"),
    ("ArrayType", "string", "Bag", "property parameter", "DisableOverride ToSubclass"),
    ("BitMap", "string[]", None, _PROP_METH_PARAM, ""),
    ("BitValues", "string[]", None, _PROP_METH_PARAM, "EnableOverride ToSubclass Translatable"),
    ("ClassConstraint", "string[]", None, _CLASSES, ""),
    ("Composition", "boolean", False, "association", "DisableOverride ToSubclass"),
    ("Correlatable", "string[]", None, "property", ""),
    ("Counter", "boolean", False, _PROP_METH_PARAM, ""),
    ("Deprecated", "string[]", None, "any", "EnableOverride Restricted"),
    ("Description", "string", None, "any", "EnableOverride ToSubclass Translatable"),
    ("DisplayName", "string", None, "any", "EnableOverride ToSubclass Translatable"),
    ("DN", "boolean", False, _PROP_METH_PARAM, "DisableOverride ToSubclass"),
    ("EmbeddedInstance", "string", None, _PROP_METH_PARAM, ""),
    ("EmbeddedObject", "boolean", False, _PROP_METH_PARAM, "DisableOverride ToSubclass"),
    ("Exception", "boolean", False, "class indication", "DisableOverride ToSubclass"),
    ("Experimental", "boolean", False, "any", "EnableOverride Restricted"),
    ("Gauge", "boolean", False, _PROP_METH_PARAM, ""),
    ("In", "boolean", True, "parameter", "DisableOverride ToSubclass"),
    ("IsPUnit", "boolean", False, _PROP_METH_PARAM, ""),
    ("Key", "boolean", False, "property reference", "DisableOverride ToSubclass"),
    ("MappingStrings", "string[]", None, "any", ""),
    ("Max", "uint32", None, "reference", ""),
    ("MaxLen", "uint32", None, _PROP_METH_PARAM, ""),
    ("MaxValue", "sint64", None, _PROP_METH_PARAM, ""),
    ("MethodConstraint", "string[]", None, "method", ""),
    ("Min", "uint32", 0, "reference", ""),
    ("MinLen", "uint32", 0, _PROP_METH_PARAM, ""),
    ("MinValue", "sint64", None, _PROP_METH_PARAM, ""),
    ("ModelCorrespondence", "string[]", None, "any", ""),
    ("NullValue", "string", None, "property", "DisableOverride ToSubclass"),
    ("Octetstring", "boolean", False, _PROP_METH_PARAM, "DisableOverride ToSubclass"),
    ("Out", "boolean", False, "parameter", "DisableOverride ToSubclass"),
    ("Override", "string", None, "property reference method", "EnableOverride Restricted"),
    ("Propagated", "string", None, "property", "DisableOverride ToSubclass"),
    ("PropertyConstraint", "string[]", None, "property reference", ""),
    ("PUnit", "string", None, _PROP_METH_PARAM, ""),
    ("Read", "boolean", True, "property", ""),
    ("Reference", "string", None, "property", ""),
    (
        "Required",
        "boolean",
        False,
        "property reference method parameter",
        "DisableOverride ToSubclass",
    ),
    ("Revision", "string", None, _CLASSES, "EnableOverride ToSubclass Translatable"),
    ("Schema", "string", None, "property method", "DisableOverride ToSubclass Translatable"),
    ("Static", "boolean", False, "property method", "DisableOverride ToSubclass"),
    ("Structure", "boolean", False, "class indication", "DisableOverride ToSubclass"),
    ("Terminal", "boolean", False, _CLASSES, ""),
    ("UMLPackagePath", "string", None, _CLASSES, ""),
    ("Units", "string", None, _PROP_METH_PARAM, "EnableOverride ToSubclass Translatable"),
    ("ValueMap", "string[]", None, _PROP_METH_PARAM, ""),
    ("Values", "string[]", None, _PROP_METH_PARAM, "EnableOverride ToSubclass Translatable"),
    ("Version", "string", None, _CLASSES, "EnableOverride Restricted Translatable"),
    ("Weak", "boolean", False, "reference", "DisableOverride ToSubclass"),
    ("Write", "boolean", False, "property", ""),
    ("XMLNamespaceName", "string", None, _PROP_METH_PARAM, ""),
    # optional qualifiers
    (
        "Alias",
        "string",
        None,
        "property reference method",
        "EnableOverride ToSubclass Translatable",
    ),
    ("Delete", "boolean", False, "association reference", ""),
    ("DisplayDescription", "string", None, "any", "EnableOverride ToSubclass Translatable"),
    ("Expensive", "boolean", False, "any", ""),
    ("Ifdeleted", "boolean", False, "association reference", ""),
    ("Invisible", "boolean", False, "class association property reference method", ""),
    ("Large", "boolean", False, "class property", ""),
    ("PropertyUsage", "string", "CurrentContext", "property", ""),
    ("Provider", "string", None, "any", ""),
    ("SyntaxType", "string", None, "property reference method parameter", ""),
    ("Syntax", "string", None, "property reference method parameter", ""),
    ("TriggerType", "string", None, "class association indication property reference method", ""),
    ("UnknownValues", "string[]", None, "property", "DisableOverride ToSubclass"),
    ("UnsupportedValues", "string[]", None, "property", "DisableOverride ToSubclass"),
)

_ANY_FEATURE = "property reference method parameter"

WMI_QUALIFIERS: tuple[Row, ...] = (
    # standard WMI qualifiers
    ("Amendment", "boolean", False, _CLASSES, "EnableOverride Restricted"),
    ("Bypass_GetObject", "boolean", False, "class", ""),
    ("CIM_Key", "boolean", False, "property reference", ""),
    ("CIMType", "string", None, _ANY_FEATURE, ""),
    ("ClassContext", "string", None, "class", ""),
    ("ClassVersion", "string", None, "class", ""),
    ("Constructor", "boolean", False, "class method", ""),
    ("Destructor", "boolean", False, "class method", ""),
    ("Display", "string", None, "any", "EnableOverride ToSubclass Translatable"),
    ("Dynamic", "boolean", False, "class property", ""),
    ("DynProps", "boolean", False, "class instance", ""),
    ("Fixed", "boolean", False, "property", ""),
    ("ID", "sint32", None, "property parameter method", ""),
    ("Implemented", "boolean", False, "method", ""),
    ("InstanceContext", "string", None, "class instance", ""),
    ("Locale", None, None, "any", ""),
    ("NamespaceSecuritySDDL", "string", None, "instance", ""),
    ("Not_Null", "boolean", False, "property reference", ""),
    ("Optional", "boolean", False, "parameter", ""),
    ("Privileges", "string[]", None, "class method property", ""),
    ("PropertyContext", "string", None, "property", ""),
    ("RequiresEncryption", "boolean", False, "any", ""),
    ("Singleton", "boolean", False, "class", ""),
    ("SubType", "string", None, _ANY_FEATURE, ""),
    ("SupportsCreate", "boolean", False, "class", ""),
    ("SupportsDelete", "boolean", False, "class", ""),
    ("SupportsUpdate", "boolean", False, "class", ""),
    ("CreateBy", "string", None, "class", ""),
    ("DeleteBy", "string", None, "class", ""),
    ("UUID", "string", None, "class", ""),
    ("WritePrivileges", "string[]", None, "property", ""),
    ("HasClassRefs", "boolean", False, "class association", ""),
    ("ClassRef", "string[]", None, "property reference", ""),
    # performance counter classes: on a cooked (formatted) property, Counter("Name") names the
    # raw counter it is computed from; DMTF Counter is a boolean
    ("Counter", None, None, _PROP_METH_PARAM, ""),
    # driver (WDM) MOFs
    ("WMI", "boolean", False, "class", ""),
    ("guid", "string", None, "class", ""),
    ("WmiDataId", "sint32", None, "property", ""),
    ("WmiSizeIs", "string", None, "property parameter", ""),
    ("WmiMethodId", "sint32", None, "method", ""),
    ("WmiExpense", "sint32", None, "class", ""),
    ("extension", "string", None, _ANY_FEATURE, ""),
    ("cpp_quote", "string", None, "any", ""),
    ("HeaderName", "string", None, "class property method", ""),
    # Configuration Manager
    ("SMS_Report", "boolean", False, "class property", ""),
    ("SMS_Group_Name", "string", None, "class", ""),
    ("SMS_Class_ID", "string", None, "class", ""),
    ("SMS_Context_1", "string", None, "class", ""),
    ("SMS_Namespace", "boolean", False, "class", ""),
    ("Namespace", "string", None, "class", ""),
    # PowerShell DSC
    ("FriendlyName", "string", None, "class", ""),
)

WMI_SCOPE_EXTENSIONS: dict[str, str] = {
    "Max": "property",
    "Min": "property",
    "Read": "method",
    "Write": "method",
}
"""Scopes the WMI dialect adds to undeclared DMTF built-ins, as real WMI files use them: ``Max``
on array properties of embedded objects (exported WMI namespaces, Configuration Manager) and
``read``/``write`` on driver (WDM) methods. Not applied in strict mode or to declared qualifiers."""
