# cmake -DINPUT=catalogue.yml -DOUTPUT=catalogue_data.cc -P embed_catalogue.cmake
# Turns the catalogue into a C++ raw string literal, so the binary needs no
# data file at run time.
file(READ "${INPUT}" text)
string(FIND "${text}" ")dnsbl_yml\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from collectors/dnsbl/catalogue.yml by embed_catalogue.cmake.\n"
  "#include \"collectors/dnsbl/dnsbl_catalogue.h\"\n\n"
  "namespace mailrep {\n\n"
  "std::string_view BuiltInCatalogueText() {\n"
  "  static constexpr char kText[] = R\"dnsbl_yml(${text})dnsbl_yml\";\n"
  "  return {kText, sizeof(kText) - 1};\n"
  "}\n\n"
  "}  // namespace mailrep\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
