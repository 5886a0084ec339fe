# untouched.cmake -- run last (the ik_home fixture's cleanup): every
# test ran with HOME at -DHOME=dir, which holds only empty XDG folders;
# no file may have been written there.
if(NOT HOME OR NOT IS_DIRECTORY "${HOME}")
  message(FATAL_ERROR "no -DHOME=dir, or ${HOME} is not a folder")
endif()
file(GLOB_RECURSE left LIST_DIRECTORIES false "${HOME}/*" "${HOME}/.*")
if(left)
  list(JOIN left "\n  " shown)
  message(FATAL_ERROR "tests wrote into their HOME (a real home in use):\n  ${shown}")
endif()
