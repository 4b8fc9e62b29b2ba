"""Reading REFI-QDA projects (``.qdpx``), split by what each part does:

- ``archive``: the zip container, read in memory with bounded, contained members;
- ``project``: ``project.qde`` parsed without entities or network and validated
  against the REFI-QDA project schema (``Project-mrt2019.xsd``, shipped here);
- ``offsets``: the writing tool's offset convention and slicing of the source text;
- ``names``: the project's code tree matched to the codebook by name;
- ``participants``: which participant each coded source belongs to.

``downstream_safety.interviews.refi_qda`` puts them together.
"""
