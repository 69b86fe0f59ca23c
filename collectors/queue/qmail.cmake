# qmail's queue reader (owned by the queue collector work; lists only files that exist).
target_sources(mailrep_queue PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/qmail_envelope.cc
  ${CMAKE_CURRENT_LIST_DIR}/qmail_queue_source.cc)

target_sources(queue_test PRIVATE ${CMAKE_CURRENT_LIST_DIR}/qmail_fixture.cc
                                  ${CMAKE_CURRENT_LIST_DIR}/qmail_queue_test.cc)

mailrep_add_fuzzer(qmail_envelope_fuzzer
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/qmail_envelope_fuzzer.cc LIBS mailrep_queue)
