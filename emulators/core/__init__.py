"""The kernel: one pipeline, no vendor. What API packages may use (import from the module named):

- `core.spec`        EmulatorSpec (an API's whole description), Handler
- `core.call`        Call (a routed, authenticated, decoded, validated request: `param`, `param_int`,
                     `store`, `clock`, `ids`, `header_params`, `xml_root`), Reply, no_content
- `core.http`        Headers, UploadedFile, pairs_to_dict (plain HTTP values; a leaf module)
- `core.errors`      EmulatorError and its tree (BadRequest, ValidationFailed, MalformedBody, Unauthorized,
                     Forbidden, NotFound, Conflict, PreconditionFailed, ...), ErrorBody, Issue, RouteNotFound
- `core.store`       Store (a tenant's JSON-able tables, last-modified)
- `core.auth`        parse_authorization, decode_basic, TokenBook
- `core.negotiation` encode_json, decode_json, decode_form, decode_xml, media_type_of, choose_media_type,
                     text_of (for an API's own encoders/decoders)
- `core.validation`  coerce (XML/form values to the schema's types)
- `core.paths`       contract_path, fixtures_path
- `core.config_models` Model, Open, Key, Modified (bases of an API's fixtures_model.py)

Everything else (pipeline, routing, app, control, journal, world, server protocol, limits) is the kernel's
own; API packages do not import it. Nothing is imported here, so `import emulators.core.x` stays cheap.
"""
