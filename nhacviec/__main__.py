from nhacviec.cli import main

main()
