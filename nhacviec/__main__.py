from nhacviec.entry import main

main()
