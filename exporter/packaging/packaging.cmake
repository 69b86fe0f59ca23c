# Installation layout and the Debian package (CPack DEB).
#
#   cmake --install <build> [--prefix /usr]   binary, systemd unit, example
#                                              config and /etc/default file
#   cpack -G DEB --config <build>/CPackConfig.cmake
#                                              mailrep-exporter_<ver>_<arch>.deb
#
# The unit names the binary and config by their installed absolute paths, so
# configure with -DCMAKE_INSTALL_PREFIX=/usr for a .deb (the package installs
# under the same prefix). Runtime dependencies come from dpkg-shlibdeps.
include(GNUInstallDirs)

set(MAILREP_PACKAGING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(MAILREP_CONFIG_DIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/mailrep_exporter)
set(MAILREP_CONFIG_FILE ${MAILREP_CONFIG_DIR}/mailrep_exporter.yml)
set(MAILREP_DEFAULTS_FILE ${CMAKE_INSTALL_FULL_SYSCONFDIR}/default/mailrep_exporter)
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(MAILREP_SYSTEMD_UNIT_DIR /lib/systemd/system)
else()
  set(MAILREP_SYSTEMD_UNIT_DIR ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()

configure_file(${MAILREP_PACKAGING_DIR}/mailrep_exporter.service.in
               ${CMAKE_BINARY_DIR}/packaging/mailrep_exporter.service @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/packaging/mailrep_exporter.service
        DESTINATION ${MAILREP_SYSTEMD_UNIT_DIR})
install(FILES ${MAILREP_PACKAGING_DIR}/mailrep_exporter.yml DESTINATION ${MAILREP_CONFIG_DIR})
install(FILES ${MAILREP_PACKAGING_DIR}/mailrep_exporter.default
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/default RENAME mailrep_exporter)

# dpkg treats these as conffiles: local edits survive upgrades.
file(WRITE ${CMAKE_BINARY_DIR}/packaging/conffiles
     "${MAILREP_CONFIG_FILE}\n${MAILREP_DEFAULTS_FILE}\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME mailrep-exporter)
set(CPACK_PACKAGE_VENDOR "mailrep")
set(CPACK_PACKAGE_CONTACT "mailrep maintainers <mailrep@example.org>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Prometheus exporter for mail sender reputation (DNSBL, SPF/DKIM/DMARC/PTR, queues)")
set(CPACK_PACKAGE_DESCRIPTION
    "mailrep_exporter tells mail operators whether their sending IPs are, or soon will be, \
treated as spam sources: DNS blocklist listings, SPF, DKIM, DMARC and PTR correctness, MTA \
queue depth and outbound delivery outcomes, as Prometheus metrics.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://github.com/mailrep/mailrep_exporter)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_BINARY_DIR}/packaging/conffiles ${MAILREP_PACKAGING_DIR}/postinst
    ${MAILREP_PACKAGING_DIR}/prerm ${MAILREP_PACKAGING_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
